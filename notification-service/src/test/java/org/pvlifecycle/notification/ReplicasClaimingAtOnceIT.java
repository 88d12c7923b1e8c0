package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ProposalRevised;
import org.pvlifecycle.notification.persistence.NotificationRepository;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * Two replicas claiming due deliveries at the same moment never get the same one: each claim
 * locks what it takes FOR UPDATE SKIP LOCKED and leases it. The instance's own worker is held
 * back (the profile of {@link RestartDeliveriesPendingIT}), so the two claims here are the only
 * ones. Quarkus runs the classes of one profile together, the groups in the order of their first
 * class name: this name keeps the held-back group after the default one ("NoticesIT") and right
 * before {@link RestartDeliveriesSentOnceIT}, so nothing sends the restart test's deliveries early.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
@TestProfile(RestartDeliveriesPendingIT.APaused.class)
class ReplicasClaimingAtOnceIT {
    static final int DELIVERIES = 40;

    @Inject
    NotificationRepository repository;

    @Test
    void twoConcurrentClaimsTakeDisjointDeliveriesAndALeasedOneIsNotTakenAgain() throws Exception {
        String proposal = newProposal();
        String sid = subscribe(ALICE, Map.of("channel", "WEBHOOK", "target", "http://127.0.0.1:9/hook",
                "types", List.of("pv.proposal.revised.v1"), "proposal", proposal)).getString("id");
        for (int i = 0; i < DELIVERIES; i++) {
            TopicProbe.publish(new ProposalRevised(proposal, i + 2, "# ABI", "n", List.of(), List.of()), "alice");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ALICE, sid).size() == DELIVERIES);

        CyclicBarrier together = new CyclicBarrier(2);
        Instant now = Instant.now();
        List<CompletableFuture<List<NotificationRepository.Claimed>>> replicas = List.of(1, 2).stream()
                .map(n -> CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return OnVertx.await(() -> repository.claim(now, now.plus(Duration.ofHours(1)), 25));
                })).toList();
        Set<String> first = ours(replicas.get(0).get(), sid);
        Set<String> second = ours(replicas.get(1).get(), sid);
        assertThat(first).doesNotContainAnyElementsOf(second);
        assertThat(first.size() + second.size()).isEqualTo(DELIVERIES);

        // Leased: a third claim, before the lease ends, finds none of them due.
        assertThat(ours(OnVertx.await(() -> repository.claim(Instant.now(), Instant.now().plusSeconds(60), 100)), sid))
                .isEmpty();
    }

    static Set<String> ours(List<NotificationRepository.Claimed> claimed, String subscription) {
        Set<String> ids = new HashSet<>();
        claimed.stream().filter(c -> c.subscriptionId().equals(subscription)).forEach(c -> ids.add(c.id()));
        return ids;
    }
}
