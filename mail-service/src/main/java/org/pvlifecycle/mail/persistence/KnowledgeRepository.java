package org.pvlifecycle.mail.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.mail.domain.Knowledge;
import org.pvlifecycle.mail.domain.ProposalPaths;
import org.pvlifecycle.mail.domain.ThreadReply.ObjectionStatus;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the mail service knows besides the messages: the identity map, and what it learnt from the
 * other services' events (proposals, objections, maintainers) and from the review service's
 * answers (objections it raised, steps it took). Reads and writes run in the caller's session or
 * transaction, except where a method opens its own.
 */
@ApplicationScoped
public class KnowledgeRepository {

    // --- The identity map ---

    public Uni<String> personOf(String address) {
        return SessionSql.select("select person from identities where address = $1", address)
                .map(rows -> rows.isEmpty() ? address : (String) rows.get(0)[0]);
    }

    public Uni<Map<String, String>> identities() {
        return SessionSql.select("select address, person from identities order by address")
                .map(rows -> {
                    Map<String, String> map = new TreeMap<>();
                    rows.forEach(r -> map.put((String) r[0], (String) r[1]));
                    return map;
                });
    }

    /** Replaces the whole map. */
    public Uni<Void> replaceIdentities(Map<String, String> identities) {
        return SessionSql.inTransaction(() -> SessionSql.update("delete from identities")
                .flatMap(deleted -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Map.Entry<String, String> e : identities.entrySet()) {
                        // A policy's seed may commit an address between the delete and here: the operator's person wins.
                        chain = chain.flatMap(v -> SessionSql.update("""
                                        insert into identities (address, person) values ($1, $2)
                                        on conflict (address) do update set person = excluded.person""",
                                e.getKey(), e.getValue()).replaceWithVoid());
                    }
                    return chain;
                }));
    }

    // --- Reads for one message's decision ---

    public Uni<Map<String, Knowledge.Proposal>> proposals(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] wanted = ids.toArray(String[]::new);
        return SessionSql.select(
                        "select proposal_id, owner, stage, components from proposals where proposal_id = any($1::text[])",
                        (Object) wanted)
                .flatMap(rows -> SessionSql.select(
                                "select proposal_id, path from proposal_paths where proposal_id = any($1::text[]) order by path",
                                (Object) wanted)
                        .map(paths -> {
                            Map<String, Knowledge.Proposal> result = new LinkedHashMap<>();
                            for (Object[] r : rows) {
                                String id = (String) r[0];
                                List<String> own = paths.stream().filter(p -> p[0].equals(id)).map(p -> (String) p[1])
                                        .toList();
                                result.put(id, new Knowledge.Proposal(id, (String) r[1], Stage.valueOf((String) r[2]),
                                        split((String) r[3]), own));
                            }
                            return result;
                        }));
    }

    /**
     * The proposals with a path covering one of {@code paths} ({@link ProposalPaths}): equal to it, a
     * directory path ({@code dir/}) above it, or, for a path git shortened ({@code .../io/pvcalls.h}),
     * ending with its tail. The query selects the candidates; {@link ProposalPaths} decides, as the
     * message's decision does.
     */
    public Uni<Set<String>> proposalsTouching(List<String> paths) {
        if (paths.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] tails = paths.stream().filter(ProposalPaths::isShortened).map(ProposalPaths::tail).toArray(String[]::new);
        return SessionSql.select("""
                        select proposal_id, path from proposal_paths
                        where path = any($1::text[]) or path like '%/'
                           or exists (select 1 from unnest($2::text[]) as shortened(tail)
                                      where right(path, length(shortened.tail)) = shortened.tail)""",
                        paths.toArray(String[]::new), tails)
                .map(rows -> rows.stream()
                        .filter(r -> paths.stream().anyMatch(p -> ProposalPaths.covers((String) r[1], p)))
                        .map(r -> (String) r[0]).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The proposals whose thread root is among {@code ids}: message id → proposal id. */
    public Uni<Map<String, String>> proposalsRootedAt(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select("select root_message_id, proposal_id from proposals where root_message_id = any($1::text[])",
                        (Object) ids.toArray(String[]::new))
                .map(rows -> {
                    Map<String, String> result = new HashMap<>();
                    rows.forEach(r -> result.put((String) r[0], (String) r[1]));
                    return result;
                });
    }

    public Uni<List<Knowledge.Objection>> objectionsRaisedBy(List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return SessionSql.select("select objection_id, proposal_id, author, status, raised_by from objections "
                        + "where raised_by = any($1::text[])", (Object) messageIds.toArray(String[]::new))
                .map(rows -> rows.stream().map(r -> new Knowledge.Objection((String) r[0], (String) r[1], (String) r[2],
                        ObjectionStatus.valueOf((String) r[3]), (String) r[4])).toList());
    }

    public Uni<Map<String, Set<String>>> maintainers() {
        return SessionSql.select("select component, people from maintainers")
                .map(rows -> {
                    Map<String, Set<String>> result = new HashMap<>();
                    rows.forEach(r -> result.put((String) r[0], Set.copyOf(split((String) r[1]))));
                    return result;
                });
    }

    /** The components the policy describes (titles and patterns, for scoped trailers), by id. */
    public Uni<Map<String, Knowledge.Component>> components() {
        return SessionSql.select("select component, title, files, excluded, maintained from components")
                .map(rows -> {
                    Map<String, Knowledge.Component> result = new HashMap<>();
                    rows.forEach(r -> result.put((String) r[0], new Knowledge.Component((String) r[1],
                            lines((String) r[2]), lines((String) r[3]), Boolean.TRUE.equals(r[4]))));
                    return result;
                });
    }

    // --- What list messages caused at the review service ---

    /** The step {@code messageId} caused, if it is known: its result (an ack or objection id, or "" for none). */
    public Uni<Optional<String>> step(String messageId, String kind, String target) {
        return SessionSql.select(
                        "select coalesce(result, '') from mail_steps where message_id = $1 and kind = $2 and target = $3",
                        messageId, kind, target)
                .map(rows -> rows.stream().map(r -> (String) r[0]).findFirst());
    }

    public Uni<Void> recordStep(String messageId, String kind, String target, String result) {
        return SessionSql.update("""
                        insert into mail_steps (message_id, kind, target, result) values ($1, $2, $3, $4)
                        on conflict (message_id, kind, target) do update set result = coalesce(mail_steps.result, excluded.result)""",
                messageId, kind, target, result).replaceWithVoid();
    }

    // --- Proposals ---

    public Uni<Void> submitted(String proposalId, String owner, List<String> components, List<String> paths) {
        return SessionSql.update("""
                        insert into proposals (proposal_id, owner, stage, components) values ($1, $2, 'DESIGN', $3)
                        on conflict (proposal_id) do nothing""", proposalId, owner, String.join(",", components))
                .flatMap(inserted -> inserted == 1 && paths != null ? replacePaths(proposalId, paths)
                        : Uni.createFrom().voidItem());
    }

    public Uni<Void> paths(String proposalId, List<String> paths) {
        return replacePaths(proposalId, paths);
    }

    private static Uni<Void> replacePaths(String proposalId, List<String> paths) {
        Uni<Void> chain = SessionSql.update("delete from proposal_paths where proposal_id = $1", proposalId)
                .replaceWithVoid();
        for (String path : new LinkedHashSet<>(paths)) {
            chain = chain.flatMap(v -> SessionSql.update(
                            "insert into proposal_paths (proposal_id, path) values ($1, $2) on conflict do nothing",
                            proposalId, path).replaceWithVoid());
        }
        return chain;
    }

    public Uni<Void> stage(String proposalId, Stage stage) {
        return SessionSql.update("update proposals set stage = $1 where proposal_id = $2", stage.name(), proposalId)
                .replaceWithVoid();
    }

    /** The first message tied to a proposal that answers none is its thread's root. */
    public Uni<Void> rootIfNone(String proposalId, String messageId) {
        return SessionSql.update(
                        "update proposals set root_message_id = $1 where proposal_id = $2 and root_message_id is null",
                        messageId, proposalId).replaceWithVoid();
    }

    // --- Objections ---

    /** An objection raised (by its event, or by the review service's answer to a raise this service sent). */
    public Uni<Void> objectionRaised(String objectionId, String proposalId, String author, String raisedBy, Instant at) {
        return SessionSql.update("""
                        insert into objections (objection_id, proposal_id, author, status, status_at, raised_by)
                        values ($1, $2, $3, 'OPEN', $4, $5)
                        on conflict (objection_id) do update set
                            raised_by = coalesce(objections.raised_by, excluded.raised_by),
                            status_at = coalesce(objections.status_at, excluded.status_at)""",
                objectionId, proposalId, author, time(at), raisedBy).replaceWithVoid();
    }

    /**
     * The objection's status after a step taken at {@code at}. Events and the review service's
     * answers may arrive in either order, so a step older than the one already recorded changes
     * nothing, and a final status (withdrawn, overruled, lapsed) stays.
     */
    public Uni<Void> objectionStatus(String objectionId, ObjectionStatus status, Instant at) {
        return SessionSql.update("""
                        update objections set status = $1, status_at = $2
                        where objection_id = $3 and status not in ('WITHDRAWN', 'OVERRULED', 'LAPSED')
                          and (status_at is null or status_at <= $2)""",
                status.name(), time(at), objectionId).replaceWithVoid();
    }

    // --- The policy's maintainers ---

    /**
     * The maintainers and the described components of policy {@code version}, unless a later one is
     * known; and, in the same transaction, each maintainer address not yet in the identity map
     * mapped to itself (the person id the policy gives it). An address already there keeps its
     * person: an operator's mapping always wins, and seeding again changes nothing.
     */
    public Uni<Void> policy(long version, Map<String, List<String>> maintainers,
            Map<String, Knowledge.Component> components, Set<String> maintainerAddresses) {
        return SessionSql.select("select version from policy_version where id = 1")
                .flatMap(known -> {
                    if (!known.isEmpty() && ((Number) known.get(0)[0]).longValue() >= version) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> chain = SessionSql.update("""
                                    insert into policy_version (id, version) values (1, $1)
                                    on conflict (id) do update set version = excluded.version""", version)
                            .flatMap(n -> SessionSql.update("delete from maintainers"))
                            .flatMap(n -> SessionSql.update("delete from components"))
                            .replaceWithVoid();
                    for (Map.Entry<String, List<String>> e : maintainers.entrySet()) {
                        chain = chain.flatMap(v -> SessionSql.update(
                                        "insert into maintainers (component, people) values ($1, $2)",
                                        e.getKey(), String.join(",", e.getValue())).replaceWithVoid());
                    }
                    for (Map.Entry<String, Knowledge.Component> e : components.entrySet()) {
                        Knowledge.Component c = e.getValue();
                        chain = chain.flatMap(v -> SessionSql.update("""
                                        insert into components (component, title, files, excluded, maintained)
                                        values ($1, $2, $3, $4, $5)""", e.getKey(), c.title(),
                                String.join("\n", c.files()), String.join("\n", c.excluded()), c.maintained())
                                .replaceWithVoid());
                    }
                    for (String address : maintainerAddresses) {
                        chain = chain.flatMap(v -> SessionSql.update("""
                                        insert into identities (address, person) values ($1, $2)
                                        on conflict (address) do nothing""", address, address).replaceWithVoid());
                    }
                    return chain;
                });
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).toList();
    }

    /** Patterns one a line (none contains a line end: MAINTAINERS gives one a line). */
    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.stream(text.split("\n")).toList();
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
