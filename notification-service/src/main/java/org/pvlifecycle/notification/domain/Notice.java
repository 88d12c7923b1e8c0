package org.pvlifecycle.notification.domain;

/**
 * The notices people get without asking for each event (docs/api.md): a subscription with the type
 * {@code notices} receives those addressed to its owner. Each says what happened and what the
 * reader can do about it.
 */
public enum Notice {
    OBJECTION_RAISED("An objection was raised against your proposal",
            "Answer the objection (POST /objections/{objection}/answers) or revise the proposal; "
                    + "a blocking objection keeps the proposal from advancing."),
    OBJECTION_ANSWERED("Your objection was answered",
            "Reaffirm (POST /objections/{objection}/reaffirmations) or withdraw it by {deadline}; "
                    + "if you do not respond by then it lapses and stops blocking."),
    RESPONSE_DUE_SOON("Your response to an answer is due soon",
            "Reaffirm or withdraw objection {objection} by {deadline}, or it lapses and stops blocking."),
    OBJECTION_LAPSED("Your objection lapsed",
            "Objection {objection} no longer blocks. If the problem remains, raise a new objection "
                    + "with the technical grounds."),
    OBJECTION_OVERRULED("Your objection was overruled",
            "Objection {objection} no longer blocks; the Czar's rationale is in the proposal's view."),
    WINDOW_OPENED("A review window opened on a proposal you review",
            "Review the proposal and ack it or raise specific technical objections before {deadline}."),
    PROPOSAL_ELIGIBLE("A proposal is eligible for your decision",
            "Decide the transition (POST /proposals/{proposal}/transitions)."),
    DECISION_OVERDUE("A decision is overdue",
            "Decide the transition now (POST /proposals/{proposal}/transitions); under the policy "
                    + "lazy consensus may advance it on its own."),
    PROPOSAL_ADVANCED("Your proposal advanced",
            "Gather the evidence the next stage needs and request its review "
                    + "(POST /proposals/{proposal}/review-requests).");

    private final String title;
    private final String action;

    Notice(String title, String action) {
        this.title = title;
        this.action = action;
    }

    public String title() {
        return title;
    }

    /** What the reader can do, with {proposal}, {objection} and {deadline} left to fill in. */
    public String actionTemplate() {
        return action;
    }
}
