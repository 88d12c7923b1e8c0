package org.pvlifecycle.eventstore;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An entity for these tests only: with one, Hibernate Reactive starts here as it does in a service
 * that keeps entities, so that the tests can check {@link SessionSql} inside its sessions.
 */
@Entity
@Table(name = "events")
public class EventRow extends PanacheEntityBase {
    @Id
    public Long position;
}
