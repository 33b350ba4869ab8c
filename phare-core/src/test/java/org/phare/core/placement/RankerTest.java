package org.phare.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.placement.PlacementConfig.Strategy;

@DisplayName("Rankers")
class RankerTest {

    private static final Host HOST = new Host(HostId.of("h1"), ZONE_A, SiteId.of("s1"), new Resources(8, 16384),
            Map.of(), HostState.READY, Schedulability.SCHEDULABLE, 0, null);
    private static final Resources FULLER = new Resources(6, 12288);
    private static final Resources EMPTIER = new Resources(1, 2048);

    private static PlacementRequest request(Resources demand, GroupId group) {
        return new PlacementRequest(InstanceId.of("i-1"), TENANT, demand, group, null, false, false, 1);
    }

    private static double fit(Strategy strategy, Resources used) {
        return Ranker.fit(PlacementConfig.defaults().withStrategy(strategy)).score(HOST, used, request(new Resources(1, 2048), null));
    }

    @Test
    @DisplayName("bin-pack prefers the fuller host")
    void binpackPrefersFuller() {
        assertThat(fit(Strategy.BINPACK, FULLER)).isGreaterThan(fit(Strategy.BINPACK, EMPTIER));
    }

    @Test
    @DisplayName("spread prefers the emptier host")
    void spreadPrefersEmptier() {
        assertThat(fit(Strategy.SPREAD, EMPTIER)).isGreaterThan(fit(Strategy.SPREAD, FULLER));
    }

    @Test
    @DisplayName("the fit score is the mean utilisation after placement (bin-pack) or its complement (spread)")
    void fitScoreIsUtilisationAfterPlacement() {
        // 4+2 of 8 vCPU = 0.75, 8192+4096 of 16384 MiB = 0.75
        Resources used = new Resources(4, 8192);
        PlacementRequest req = request(new Resources(2, 4096), null);

        assertThat(Ranker.fit(PlacementConfig.defaults().withStrategy(Strategy.BINPACK)).score(HOST, used, req)).isCloseTo(0.75, within(1e-9));
        assertThat(Ranker.fit(PlacementConfig.defaults().withStrategy(Strategy.SPREAD)).score(HOST, used, req)).isCloseTo(0.25, within(1e-9));
    }

    @Test
    @DisplayName("utilisation is measured against the overcommitted capacity")
    void overcommitLowersUtilisation() {
        // vCPU: 6 of 16 = 0.375; memory: 12288 of 16384 = 0.75; mean 0.5625
        Resources used = new Resources(4, 8192);
        PlacementRequest req = request(new Resources(2, 4096), null);
        PlacementConfig config = PlacementConfig.defaults().withOvercommit(2.0, 1.0);

        assertThat(Ranker.fit(config).score(HOST, used, req)).isCloseTo(0.5625, within(1e-9));
    }

    @Test
    @DisplayName("a zone-spread group lowers the score of a host by 0.5 per member it already holds; other groups score 0")
    void groupSpreadPenalty() {
        GroupId soft = GroupId.of("pg-soft");
        GroupId hard = GroupId.of("pg-hard");
        CloudFixture cloud = CloudFixture.withHosts(2)
                .group(soft, TENANT, GroupPolicy.ZONE_SPREAD)
                .group(hard, TENANT, GroupPolicy.HOST_ANTI_AFFINITY);
        HostId h1 = CloudFixture.hostId(ZONE_A, 1);
        HostId h2 = CloudFixture.hostId(ZONE_A, 2);
        cloud.place(TENANT, C1R2, h1, soft);
        cloud.place(TENANT, C1R2, h1, soft);
        cloud.place(TENANT, C1R2, h1, hard);
        Ranker ranker = Ranker.groupSpread(cloud.state());
        Resources demand = new Resources(1, 2048);

        assertThat(ranker.score(cloud.state().host(h1), cloud.state().used(h1), request(demand, soft))).isEqualTo(-1.0);
        assertThat(ranker.score(cloud.state().host(h2), cloud.state().used(h2), request(demand, soft))).isEqualTo(0.0);
        assertThat(ranker.score(cloud.state().host(h1), cloud.state().used(h1), request(demand, hard))).isEqualTo(0.0);
        assertThat(ranker.score(cloud.state().host(h1), cloud.state().used(h1), request(demand, null))).isEqualTo(0.0);
    }
}
