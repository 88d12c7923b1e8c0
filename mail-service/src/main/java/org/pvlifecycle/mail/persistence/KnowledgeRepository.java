package org.pvlifecycle.mail.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.domain.Knowledge;
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
        return session().flatMap(s -> s.createNativeQuery("select person from identities where address = :address",
                        String.class).setParameter("address", address).getResultList())
                .map(rows -> rows.isEmpty() ? address : rows.get(0));
    }

    public Uni<Map<String, String>> identities() {
        return Panache.withSession(() -> session().flatMap(s -> s.createNativeQuery(
                "select address, person from identities order by address", Object[].class).getResultList()))
                .map(rows -> {
                    Map<String, String> map = new TreeMap<>();
                    rows.forEach(r -> map.put((String) r[0], (String) r[1]));
                    return map;
                });
    }

    /** Replaces the whole map. */
    public Uni<Void> replaceIdentities(Map<String, String> identities) {
        return Panache.withTransaction(() -> session().flatMap(s -> s.createNativeQuery("delete from identities")
                .executeUpdate()
                .flatMap(deleted -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Map.Entry<String, String> e : identities.entrySet()) {
                        // A policy's seed may commit an address between the delete and here: the operator's person wins.
                        chain = chain.flatMap(v -> s.createNativeQuery("""
                                        insert into identities (address, person) values (:address, :person)
                                        on conflict (address) do update set person = excluded.person""")
                                .setParameter("address", e.getKey()).setParameter("person", e.getValue())
                                .executeUpdate().replaceWithVoid());
                    }
                    return chain;
                })));
    }

    // --- Reads for one message's decision ---

    public Uni<Map<String, Knowledge.Proposal>> proposals(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> wanted = List.copyOf(ids);
        return session().flatMap(s -> s.createNativeQuery(
                        "select proposal_id, owner, stage, components from proposals where proposal_id in (:ids)",
                        Object[].class).setParameter("ids", wanted).getResultList()
                .flatMap(rows -> s.createNativeQuery(
                                "select proposal_id, path from proposal_paths where proposal_id in (:ids) order by path",
                                Object[].class).setParameter("ids", wanted).getResultList()
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
                        })));
    }

    /** The proposals with a path equal to one of {@code paths}, or a directory path ({@code .../}) above one. */
    public Uni<Set<String>> proposalsTouching(List<String> paths) {
        if (paths.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return session().flatMap(s -> s.createNativeQuery(
                        "select proposal_id, path from proposal_paths where path in (:paths) or path like '%/'",
                        Object[].class).setParameter("paths", paths).getResultList())
                .map(rows -> rows.stream()
                        .filter(r -> paths.contains((String) r[1])
                                || paths.stream().anyMatch(p -> p.startsWith((String) r[1]) && ((String) r[1]).endsWith("/")))
                        .map(r -> (String) r[0]).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The proposals whose thread root is among {@code ids}: message id → proposal id. */
    public Uni<Map<String, String>> proposalsRootedAt(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return session().flatMap(s -> s.createNativeQuery(
                        "select root_message_id, proposal_id from proposals where root_message_id in (:ids)",
                        Object[].class).setParameter("ids", ids).getResultList())
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
        return session().flatMap(s -> s.createNativeQuery(
                        "select objection_id, proposal_id, author, status, raised_by from objections where raised_by in (:ids)",
                        Object[].class).setParameter("ids", messageIds).getResultList())
                .map(rows -> rows.stream().map(r -> new Knowledge.Objection((String) r[0], (String) r[1], (String) r[2],
                        ObjectionStatus.valueOf((String) r[3]), (String) r[4])).toList());
    }

    public Uni<Map<String, Set<String>>> maintainers() {
        return session().flatMap(s -> s.createNativeQuery("select component, people from maintainers", Object[].class)
                        .getResultList())
                .map(rows -> {
                    Map<String, Set<String>> result = new HashMap<>();
                    rows.forEach(r -> result.put((String) r[0], Set.copyOf(split((String) r[1]))));
                    return result;
                });
    }

    // --- What list messages caused at the review service ---

    /** The step {@code messageId} caused, if it is known: its result (an ack or objection id, or "" for none). */
    public Uni<Optional<String>> step(String messageId, String kind, String target) {
        return Panache.withSession(() -> session().flatMap(s -> s.createNativeQuery(
                        "select coalesce(result, '') from mail_steps where message_id = :m and kind = :k and target = :t",
                        String.class)
                .setParameter("m", messageId).setParameter("k", kind).setParameter("t", target).getResultList()))
                .map(rows -> rows.stream().findFirst());
    }

    public Uni<Void> recordStep(String messageId, String kind, String target, String result) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into mail_steps (message_id, kind, target, result) values (:m, :k, :t, :r)
                        on conflict (message_id, kind, target) do update set result = coalesce(mail_steps.result, excluded.result)""")
                .setParameter("m", messageId).setParameter("k", kind).setParameter("t", target).setParameter("r", result)
                .executeUpdate()).replaceWithVoid();
    }

    // --- Proposals ---

    public Uni<Void> submitted(String proposalId, String owner, List<String> components, List<String> paths) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into proposals (proposal_id, owner, stage, components) values (:id, :owner, 'DESIGN', :components)
                        on conflict (proposal_id) do nothing""")
                .setParameter("id", proposalId).setParameter("owner", owner)
                .setParameter("components", String.join(",", components))
                .executeUpdate()
                .flatMap(inserted -> inserted == 1 && paths != null ? replacePaths(s, proposalId, paths)
                        : Uni.createFrom().voidItem()));
    }

    public Uni<Void> paths(String proposalId, List<String> paths) {
        return session().flatMap(s -> replacePaths(s, proposalId, paths));
    }

    private static Uni<Void> replacePaths(Mutiny.Session s, String proposalId, List<String> paths) {
        Uni<Void> chain = s.createNativeQuery("delete from proposal_paths where proposal_id = :id")
                .setParameter("id", proposalId).executeUpdate().replaceWithVoid();
        for (String path : new LinkedHashSet<>(paths)) {
            chain = chain.flatMap(v -> s.createNativeQuery(
                            "insert into proposal_paths (proposal_id, path) values (:id, :path) on conflict do nothing")
                    .setParameter("id", proposalId).setParameter("path", path).executeUpdate().replaceWithVoid());
        }
        return chain;
    }

    public Uni<Void> stage(String proposalId, Stage stage) {
        return session().flatMap(s -> s.createNativeQuery("update proposals set stage = :stage where proposal_id = :id")
                .setParameter("stage", stage.name()).setParameter("id", proposalId).executeUpdate()).replaceWithVoid();
    }

    /** The first message tied to a proposal that answers none is its thread's root. */
    public Uni<Void> rootIfNone(String proposalId, String messageId) {
        return session().flatMap(s -> s.createNativeQuery(
                        "update proposals set root_message_id = :m where proposal_id = :id and root_message_id is null")
                .setParameter("m", messageId).setParameter("id", proposalId).executeUpdate()).replaceWithVoid();
    }

    // --- Objections ---

    /** An objection raised (by its event, or by the review service's answer to a raise this service sent). */
    public Uni<Void> objectionRaised(String objectionId, String proposalId, String author, String raisedBy, Instant at) {
        return session().flatMap(s -> s.createNativeQuery("""
                        insert into objections (objection_id, proposal_id, author, status, status_at, raised_by)
                        values (:id, :proposal, :author, 'OPEN', :at, :raisedBy)
                        on conflict (objection_id) do update set
                            raised_by = coalesce(objections.raised_by, excluded.raised_by),
                            status_at = coalesce(objections.status_at, excluded.status_at)""")
                .setParameter("id", objectionId).setParameter("proposal", proposalId).setParameter("author", author)
                .setParameter("at", time(at)).setParameter("raisedBy", raisedBy)
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * The objection's status after a step taken at {@code at}. Events and the review service's
     * answers may arrive in either order, so a step older than the one already recorded changes
     * nothing, and a final status (withdrawn, overruled, lapsed) stays.
     */
    public Uni<Void> objectionStatus(String objectionId, ObjectionStatus status, Instant at) {
        return session().flatMap(s -> s.createNativeQuery("""
                        update objections set status = :status, status_at = :at
                        where objection_id = :id and status not in ('WITHDRAWN', 'OVERRULED', 'LAPSED')
                          and (status_at is null or status_at <= :at)""")
                .setParameter("status", status.name()).setParameter("at", time(at)).setParameter("id", objectionId)
                .executeUpdate()).replaceWithVoid();
    }

    // --- The policy's maintainers ---

    /**
     * The maintainers of policy {@code version}, unless a later one is known; and, in the same
     * transaction, each maintainer address not yet in the identity map mapped to itself (the
     * person id the policy gives it). An address already there keeps its person: an operator's
     * mapping always wins, and seeding again changes nothing.
     */
    public Uni<Void> policy(long version, Map<String, List<String>> maintainers, Set<String> maintainerAddresses) {
        return session().flatMap(s -> s.createNativeQuery("select version from policy_version where id = 1", Long.class)
                .getResultList()
                .flatMap(known -> {
                    if (!known.isEmpty() && known.get(0) >= version) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> chain = s.createNativeQuery("""
                                    insert into policy_version (id, version) values (1, :v)
                                    on conflict (id) do update set version = excluded.version""")
                            .setParameter("v", version).executeUpdate()
                            .flatMap(n -> s.createNativeQuery("delete from maintainers").executeUpdate())
                            .replaceWithVoid();
                    for (Map.Entry<String, List<String>> e : maintainers.entrySet()) {
                        chain = chain.flatMap(v -> s.createNativeQuery(
                                        "insert into maintainers (component, people) values (:c, :p)")
                                .setParameter("c", e.getKey()).setParameter("p", String.join(",", e.getValue()))
                                .executeUpdate().replaceWithVoid());
                    }
                    for (String address : maintainerAddresses) {
                        chain = chain.flatMap(v -> s.createNativeQuery("""
                                        insert into identities (address, person) values (:a, :p)
                                        on conflict (address) do nothing""")
                                .setParameter("a", address).setParameter("p", address).executeUpdate().replaceWithVoid());
                    }
                    return chain;
                }));
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).toList();
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
