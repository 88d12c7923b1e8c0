package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;
import org.pvlifecycle.mail.domain.ThreadReply.Step;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.message;

/** The pvcalls-v2 thread of the test resources, message by message, as the bridge will read it. */
class PvcallsThreadTest {
    static final String LIST = "xen-devel.lists.xenproject.org";

    @Test
    void theThreadFromCoverLetterToWithdrawal() {
        MailMessage cover = message("cover-letter.eml");
        assertThat(cover.listId()).contains(LIST);
        assertThat(SubjectPrefix.parse(cover.subject()).candidateIds()).containsExactly("pvcalls-v2");
        // Its diffstat names the series' paths: a cover letter touches them.
        assertThat(PatchedPaths.in(cover)).containsExactly("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");

        MailMessage patch = message("patch-1-pvcalls-doc.eml");
        assertThat(SubjectPrefix.parse(patch.subject()).candidateIds()).containsExactly("pvcalls-v2");
        assertThat(PatchedPaths.in(patch)).containsExactly("docs/misc/pvcalls.pandoc");
        assertThat(patch.repliesTo(cover.messageId())).isTrue();

        MailMessage review = message("reply-reviewed-by.eml");
        assertThat(Statements.of(review).acks()).extracting(Statements.Ack::kind).containsExactly(AckKind.REVIEWED_BY);

        MailMessage nack = message("reply-nack-abi.eml");
        assertThat(nack.repliesTo(cover.messageId())).isTrue();
        assertThat(Statements.of(nack).nacks()).extracting(Statements.Nack::category).containsExactly(ObjectionCategory.ABI);

        MailMessage answer = message("reply-owner-answer.eml");
        assertThat(answer.repliesTo(nack.messageId())).isTrue();
        ThreadReply answered = ThreadReply.of(answer.from().address(), patch.from().address(), nack.from().address(),
                ObjectionStatus.OPEN, Statements.of(answer).withdraws());
        assertThat(answered.step()).contains(Step.ANSWER);

        MailMessage withdrawal = message("reply-withdraw.eml");
        assertThat(withdrawal.repliesTo(answer.messageId())).isTrue();
        ThreadReply withdrawn = ThreadReply.of(withdrawal.from().address(), patch.from().address(),
                nack.from().address(), ObjectionStatus.ANSWERED, Statements.of(withdrawal).withdraws());
        assertThat(withdrawn.step()).contains(Step.WITHDRAW);

        assertThat(List.of(cover, patch, review, nack, answer, withdrawal)).allSatisfy(m -> {
            assertThat(m.listId()).contains(LIST);
            assertThat(m.bodyProblem()).isEmpty();
        });
    }
}
