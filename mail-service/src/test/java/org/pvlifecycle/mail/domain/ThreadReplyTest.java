package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;
import org.pvlifecycle.mail.domain.ThreadReply.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus.ANSWERED;
import static org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus.OPEN;
import static org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus.REAFFIRMED;

class ThreadReplyTest {
    static final String OWNER = "mara";
    static final String AUTHOR = "ines";

    @Test
    void theOwnersReplyAnswersAnOpenOrReaffirmedObjection() {
        assertThat(ThreadReply.of(OWNER, OWNER, AUTHOR, OPEN, false).step()).contains(Step.ANSWER);
        assertThat(ThreadReply.of(OWNER, OWNER, AUTHOR, REAFFIRMED, false).step()).contains(Step.ANSWER);
        assertThat(ThreadReply.of(OWNER, OWNER, AUTHOR, ANSWERED, false).step()).isEmpty();
    }

    @Test
    void theAuthorsReplyToAnAnswerReaffirmsUnlessItWithdraws() {
        assertThat(ThreadReply.of(AUTHOR, OWNER, AUTHOR, ANSWERED, false).step()).contains(Step.REAFFIRM);
        assertThat(ThreadReply.of(AUTHOR, OWNER, AUTHOR, ANSWERED, true).step()).contains(Step.WITHDRAW);
        assertThat(ThreadReply.of(AUTHOR, OWNER, AUTHOR, OPEN, true).step()).contains(Step.WITHDRAW);
        assertThat(ThreadReply.of(AUTHOR, OWNER, AUTHOR, REAFFIRMED, true).step()).contains(Step.WITHDRAW);
    }

    @Test
    void theAuthorDoesNotReaffirmWhatWasNotAnswered() {
        ThreadReply r = ThreadReply.of(AUTHOR, OWNER, AUTHOR, OPEN, false);
        assertThat(r.step()).isEmpty();
        assertThat(r.reason()).contains("only after an answer");
    }

    @Test
    void othersAndFinalObjectionsDoNothing() {
        assertThat(ThreadReply.of("tomas", OWNER, AUTHOR, ANSWERED, true).step()).isEmpty();
        for (ObjectionStatus done : new ObjectionStatus[] {ObjectionStatus.WITHDRAWN, ObjectionStatus.OVERRULED,
                ObjectionStatus.LAPSED}) {
            assertThat(ThreadReply.of(AUTHOR, OWNER, AUTHOR, done, true).step()).isEmpty();
            assertThat(ThreadReply.of(OWNER, OWNER, AUTHOR, done, false).reason()).contains("already");
        }
    }
}
