package org.pvlifecycle.review.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The policy values the review service applies, from the latest policy-changed event. */
@Entity
@Table(name = "review_policy")
public class ReviewPolicy extends PanacheEntityBase {
    static final int SINGLETON = 1;

    @Id
    public Integer id;

    @Column(nullable = false)
    public long version;

    /** ISO-8601. */
    @Column(name = "response_window", nullable = false)
    public String responseWindow;

    @Column(name = "late_objections_block", nullable = false)
    public boolean lateObjectionsBlock;
}
