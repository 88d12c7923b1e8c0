package org.pvlifecycle.notification.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.eventstore.SqlTimes;
import org.pvlifecycle.notification.domain.Audience;
import org.pvlifecycle.notification.domain.Concern;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What the events told this service about who is concerned by a proposal, and the planning of
 * notices to the subscriptions of those people. Every method runs in the consumer's inbox
 * transaction.
 */
@ApplicationScoped
public class ConcernRepository {

    /**
     * A notice to plan: the bodies are rendered per channel before they reach the database.
     * {@code listBody} is only needed when it is planned, never kept while a notice waits for its
     * addressee (the list is no addressee: it gets the notice at once).
     */
    public record PlannedNotice(UUID eventId, String eventType, String proposalId, String actor, String notice,
            Audience audience, String objectionId, Instant sendAt, String webhookBody, String emailBody,
            String listBody) {
    }

    /**
     * Serializes the planning of these proposals' events, which arrive on four topics and are
     * planned in concurrent transactions: without it, an objection planned while the proposal's
     * submission commits could park its notice for an owner the submission had just made known,
     * and the notice would wait for good. Held until the transaction ends, taken in the order of
     * the locks' keys, all of a batch's before it plans any, so two topics' batches never each
     * hold a proposal the other waits for.
     */
    public Uni<Void> lockProposals(List<String> proposalIds) {
        if (proposalIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One array parameter: (Object) so that the array is that parameter, not the varargs.
        return SessionSql.select("select count(*) from (select pg_advisory_xact_lock(k) from "
                        + "(select distinct hashtextextended('notification-planner:' || p, 0) as k from "
                        + "unnest($1::text[]) as ids (p) order by k) as sorted) as held",
                (Object) proposalIds.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Concern.Memory> memory(String proposalId) {
        return SessionSql.select("select window_ends_at, eligible from proposal_facts where proposal_id = $1", proposalId)
                .map(rows -> rows.isEmpty() ? Concern.Memory.NONE : new Concern.Memory(
                        rows.get(0)[0] == null ? null : SqlTimes.instant(rows.get(0)[0]), (Boolean) rows.get(0)[1]));
    }

    /** Keeps the proposal's eligibility as of the event with this sequence, unless a newer one is kept. */
    public Uni<Void> rememberEligibility(String proposalId, Concern.Memory memory, long sequence) {
        return SessionSql.update("""
                        insert into proposal_facts (proposal_id, window_ends_at, eligible, memory_sequence)
                        values ($1, $2, $3, $4)
                        on conflict (proposal_id) do update set window_ends_at = excluded.window_ends_at,
                                                                eligible = excluded.eligible,
                                                                memory_sequence = excluded.memory_sequence
                        where proposal_facts.memory_sequence <= excluded.memory_sequence""",
                proposalId, memory.windowEndsAt() == null ? null : memory.windowEndsAt().atOffset(ZoneOffset.UTC),
                memory.eligible(), sequence).replaceWithVoid();
    }

    /** Records the proposal's owner, and addresses the notices that were waiting to know it: one statement. */
    public Uni<Void> rememberOwner(String proposalId, String owner) {
        return SessionSql.update("""
                        with kept as (
                            insert into proposal_facts (proposal_id, owner) values ($1, $2)
                            on conflict (proposal_id) do update set owner = excluded.owner),
                        waiting as (
                            delete from unaddressed_notices where proposal_id = $1 and audience = 'OWNER'
                            returning *)
                        """ + addressWaitingTo("s.owner = $2"), proposalId, owner).replaceWithVoid();
    }

    /**
     * Records an objection's author (a reviewer of the proposal from now on) and addresses what
     * waited for it: one statement.
     */
    public Uni<Void> rememberObjectionAuthor(String proposalId, String objectionId, String author) {
        return SessionSql.update("""
                        with kept as (
                            insert into objection_authors (objection_id, proposal_id, author) values ($1, $2, $3)
                            on conflict (objection_id) do nothing),
                        reviewer as (
                            insert into proposal_reviewers (proposal_id, reviewer) values ($2, $3)
                            on conflict do nothing),
                        waiting as (
                            delete from unaddressed_notices where objection_id = $1 and audience = 'OBJECTION_AUTHOR'
                            returning *)
                        """ + addressWaitingTo("s.owner = $3"), objectionId, proposalId, author).replaceWithVoid();
    }

    public Uni<Void> rememberReviewer(String proposalId, String reviewer) {
        return SessionSql.update("""
                        insert into proposal_reviewers (proposal_id, reviewer) values ($1, $2)
                        on conflict do nothing""", proposalId, reviewer).replaceWithVoid();
    }

    /**
     * Records the proposal's components (they never change after its submission), and addresses
     * the notices to its reviewers that waited for them to the maintainers of those components:
     * one statement. Those who had reviewed it by then had theirs when it was planned.
     */
    public Uni<Void> rememberComponents(String proposalId, List<String> components) {
        return SessionSql.update("""
                        with kept as (
                            insert into proposal_components (proposal_id, components) values ($1, $2::text[])
                            on conflict (proposal_id) do nothing),
                        waiting as (
                            delete from unaddressed_notices where proposal_id = $1 and audience = 'REVIEWERS'
                            returning *)
                        """ + addressWaitingTo("""
                        s.owner in (select m.maintainer from policy_maintainers m
                                      join policy_version v on v.version = m.version
                                    where m.component = any($2::text[]))
                        and s.owner not in (select owner from proposal_facts
                                            where proposal_id = $1 and owner is not null)"""),
                proposalId, components.toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Keeps the maintainers of policy {@code version}, unless a policy as new or newer is kept
     * (policy-changed is read again on a redelivery or a replay, older versions first). One
     * statement: the version row, locked by its upsert until the transaction ends, orders the
     * writers of two policies (the replay's runs beside the live consumer's); a reader counts
     * only the rows of the kept version, so rows another writer's snapshot missed are never
     * read, and the rows of the versions before are dropped.
     */
    public Uni<Void> rememberMaintainers(long version, List<Concern.Maintainer> maintainers) {
        return SessionSql.update("""
                        with kept as (
                            insert into policy_version (id, version) values (1, $1)
                            on conflict (id) do update set version = excluded.version
                            where policy_version.version < excluded.version
                            returning version),
                        dropped as (
                            delete from policy_maintainers where version < $1 and exists (select 1 from kept))
                        insert into policy_maintainers (version, component, maintainer)
                        select $1, n.component, n.maintainer
                        from unnest($2::text[], $3::text[]) as n (component, maintainer)
                        where exists (select 1 from kept)
                        on conflict do nothing""",
                version, maintainers.stream().map(Concern.Maintainer::component).toArray(String[]::new),
                maintainers.stream().map(Concern.Maintainer::person).toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Plans the notice for the notice subscriptions of the people it concerns (never the one who
     * caused the event), and for every LIST subscription that asked for notices: the list is
     * everyone, so it gets each notice whoever it concerns. A notice for an owner or an objection
     * author not known yet waits for them, and one for the reviewers of a proposal whose
     * submission is not learnt yet waits for its components' maintainers (the list's goes at
     * once). One statement, whatever the
     * audience: the addressee's lookup, the waiting, the deliveries and the list's thread row.
     * Its parameters: $1 event id, $2 its type, $3 the proposal, $4 the email body, $5 the webhook
     * body, $6 when to send, $7 now, $8 the notice, $9 the objection, $10 who caused the event,
     * $11 the list's body, and for a notice that may wait (owner, objection author) $12 its
     * audience; the statement of any other audience has no $12, and the client refuses a value
     * the statement does not take.
     */
    public Uni<Void> plan(PlannedNotice n, Instant now) {
        Object[] parameters = {n.eventId(), n.eventType(), n.proposalId(), n.emailBody(), n.webhookBody(),
                n.sendAt().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), n.notice(), n.objectionId(),
                n.actor(), n.listBody()};
        String sql = switch (n.audience()) {
            case OWNER -> forAddressee("select owner from proposal_facts where proposal_id = $3 and owner is not null");
            case OBJECTION_AUTHOR -> forAddressee("select author from objection_authors where objection_id = $9");
            case REVIEWERS -> "with " + REVIEWERS_WAIT_FOR_COMPONENTS
                    + planned("s.owner in (" + REVIEWERS_OF_PROPOSAL + ")") + THREAD_OF_PLANNED;
            case CZAR -> "with " + planned("s.czar") + THREAD_OF_PLANNED;
        };
        if (n.audience() == Audience.OWNER || n.audience() == Audience.OBJECTION_AUTHOR) {
            parameters = Arrays.copyOf(parameters, 12);
            parameters[11] = n.audience().name();
        }
        return SessionSql.update(sql, parameters).replaceWithVoid();
    }

    /** Cancels the reminder still waiting for an objection whose author no longer has to respond. */
    public Uni<Void> cancelReminders(String objectionId, Instant now) {
        return SessionSql.update("""
                        update deliveries set status = 'CANCELLED', next_attempt_at = null, finished_at = $2
                        where objection_id = $1 and notice = 'RESPONSE_DUE_SOON' and status = 'PENDING' and attempts = 0""",
                        objectionId, now.atOffset(ZoneOffset.UTC))
                .flatMap(n -> SessionSql.update(
                        "delete from unaddressed_notices where objection_id = $1 and notice = 'RESPONSE_DUE_SOON'",
                        objectionId))
                .replaceWithVoid();
    }

    /**
     * The reviewers of proposal $3: those who reviewed it, and the maintainers of its components
     * under the kept policy (their ack is the one consensus waits on, so a window concerns them
     * before they have reviewed anything); never its owner, who asked for the review and is not
     * asked to review their own proposal, maintainer or not.
     */
    private static final String REVIEWERS_OF_PROPOSAL = """
            (select reviewer from proposal_reviewers where proposal_id = $3
             union
             select m.maintainer from proposal_components c
               join policy_maintainers m on m.component = any(c.components)
               join policy_version v on v.version = m.version
             where c.proposal_id = $3)
            except
            select owner from proposal_facts where proposal_id = $3 and owner is not null""";

    /**
     * A notice to the reviewers of a proposal whose submission is not learnt yet (no owner known)
     * waits for its components (the topics are read independently, so a window can be read
     * before the submission): without them its maintainers would never hear of it. Those who
     * reviewed it already get it at once; {@link #rememberComponents} addresses it to the
     * maintainers. The owner, learnt with the components, says whether the submission is: a
     * proposal submitted before components were kept has its owner and no components until a
     * replay, and its notices do not wait for what only a replay brings.
     */
    private static final String REVIEWERS_WAIT_FOR_COMPONENTS = """
            waiting as (
                insert into unaddressed_notices (event_id, notice, proposal_id, audience, objection_id, event_type,
                                                 actor, send_at, webhook_body, email_body)
                select $1, $8, $3, 'REVIEWERS', $9, $2, $10, $6, $5, $4
                where not exists (select 1 from proposal_facts where proposal_id = $3 and owner is not null)
                on conflict (event_id, notice) do nothing),
            """;

    /**
     * A notice to one person, looked up by {@code addressee} (a query of one column, no row when
     * the person is not known yet): without a row, the notice waits in unaddressed_notices.
     */
    private static String forAddressee(String addressee) {
        return "with addressee as (" + addressee + "),\n" + """
                waiting as (
                    insert into unaddressed_notices (event_id, notice, proposal_id, audience, objection_id, event_type,
                                                     actor, send_at, webhook_body, email_body)
                    select $1, $8, $3, $12::text, $9, $2, $10, $6, $5, $4
                    where not exists (select 1 from addressee)
                    on conflict (event_id, notice) do nothing),
                """ + planned("s.owner in (select * from addressee)") + THREAD_OF_PLANNED;
    }

    /**
     * The deliveries of a notice: to the notice subscriptions of those {@code audience} (a
     * condition on the subscription {@code s}) names, the one who caused the event left out, and
     * to every LIST subscription that asked for notices.
     */
    private static String planned(String audience) {
        return """
                planned as (
                    insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                            status, attempts, next_attempt_at, created_at, notice, objection_id)
                    select gen_random_uuid()::text, s.id, s.owner, $1, $2, $3,
                           case s.channel when 'LIST' then $11::text when 'EMAIL' then $4::text else $5::text end,
                           'PENDING', 0, $6, $7, $8, $9
                    from subscriptions s
                    where ',' || s.types || ',' like '%,notices,%'
                      and (s.proposal is null or s.proposal = $3)
                      and (s.channel = 'LIST' or s.owner <> $10 and\s""" + audience + ")\n" + """
                    on conflict (subscription_id, event_id, notice) do nothing
                    returning subscription_id)
                """;
    }

    /** The list's thread row, made with its first delivery so that a claim has a row to lock. */
    static final String THREAD_OF_PLANNED = """
            insert into list_threads (proposal_id)
            select $3 where exists (select 1 from planned p join subscriptions s on s.id = p.subscription_id
                                    where s.channel = 'LIST')
            on conflict (proposal_id) do nothing""";

    /**
     * The deliveries of the notices that waited for their addressee (the rows {@code waiting}
     * returns as it deletes them), to the notice subscriptions {@code addressees} names (a
     * condition on the subscription {@code s}). The list had its own when the notices were planned.
     */
    private static String addressWaitingTo(String addressees) {
        return """
                insert into deliveries (id, subscription_id, owner, event_id, event_type, proposal_id, body,
                                        status, attempts, next_attempt_at, created_at, notice, objection_id)
                select gen_random_uuid()::text, s.id, s.owner, w.event_id, w.event_type, w.proposal_id,
                       case when s.channel = 'EMAIL' then w.email_body else w.webhook_body end,
                       'PENDING', 0, w.send_at, w.send_at, w.notice, w.objection_id
                from waiting w join subscriptions s
                  on ',' || s.types || ',' like '%,notices,%'
                 and (s.proposal is null or s.proposal = w.proposal_id)
                 and s.owner <> w.actor
                 and s.channel <> 'LIST'
                where\s""" + addressees + """

                on conflict (subscription_id, event_id, notice) do nothing""";
    }

}
