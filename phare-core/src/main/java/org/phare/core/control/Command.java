package org.phare.core.control;

import java.util.List;
import java.util.Map;
import org.phare.core.model.GroupId;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Account;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.Schedulability;
import org.phare.core.model.Site;
import org.phare.core.model.Tag;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;

/**
 * A request to change the cloud. The writes of its domain ({@link ComputeWrites}, {@link IdentityWrites}, ...) turn each
 * into records and a result, without side effects.
 */
public sealed interface Command {

    /** The salt the cloud derives its ids from, drawn when it is created (see {@link ClusterWrites#setIdSalt}). */
    record SetIdSalt(long salt) implements Command {}

    /**
     * Raises the log format to {@code to}: from then on, records of the types that format introduced may be written.
     * The caller checks first that every member reads it (see {@link ClusterWrites#raiseLogFormat}).
     */
    record RaiseLogFormat(int to, String by) implements Command {}

    /** Gives an instance another name (a record of log format 2). */
    record RenameInstance(InstanceId instance, String name) implements Command {}

    record DefineRegion(Region region) implements Command {}

    record DefineZone(Zone zone) implements Command {}

    record DefineSite(Site site) implements Command {}

    record DefineInstanceType(InstanceType type) implements Command {}

    record DefineImage(Image image) implements Command {}

    record CreatePlacementGroup(PlacementGroup group) implements Command {}

    /** Creates an account (the caller gives its creation time, as for every command through the controller's clock). */
    record CreateAccount(TenantId name, Account.Role role) implements Command {}

    /**
     * Issues an access key: the caller (the server) drew the id and the secret and sealed the secret, since the core
     * has no randomness and must never see a usable secret.
     */
    record CreateAccessKey(TenantId account, String keyId, String sealedSecret) implements Command {}

    record RevokeAccessKey(String keyId) implements Command {}

    /**
     * Start new instances: as many as fit up to {@code count}, and at least {@code minCount}, or none at all (EC2's
     * MaxCount and MinCount). The instances, their tags and their placements are one batch.
     *
     * @param zone        null to let the scheduler spread the tenant's instances across the region's zones
     * @param priority    restart priority, 0 (lowest) to 1000
     * @param group       placement group, or null
     * @param name        display name, or null for the id
     * @param clientToken makes the request idempotent per tenant: a retry with the same token answers with the
     *                    instances the first request created instead of creating more (null: not idempotent)
     * @param minCount    1 to {@code count}
     * @param keyName     the tenant's key pair to give the instances, or null
     * @param userData    base64 user data, or null
     * @param tags        tags for every new instance (empty: none)
     */
    record RunInstances(TenantId tenant, InstanceTypeId type, ImageId image, ZoneId zone, int count, int priority,
                        GroupId group, String name, String clientToken, int minCount, String keyName, String userData,
                        Map<String, String> tags) implements Command {
        public RunInstances {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }

        /** All or nothing: {@code count} instances or none. */
        public RunInstances(TenantId tenant, InstanceTypeId type, ImageId image, ZoneId zone, int count, int priority,
                            GroupId group, String name, String clientToken) {
            this(tenant, type, image, zone, count, priority, group, name, clientToken, count, null, null, Map.of());
        }

        public RunInstances(TenantId tenant, InstanceTypeId type, ImageId image, ZoneId zone, int count, int priority,
                            GroupId group, String name) {
            this(tenant, type, image, zone, count, priority, group, name, null);
        }
    }

    /** Creates a key pair from its public half (the server generated the pair, or the tenant imported it). */
    record CreateKeyPair(TenantId tenant, String name, String type, String fingerprint, String publicKey) implements Command {}

    /** Deletes the tenant's key pair named {@code name}, or whose id is {@code id}; deleting none is not an error. */
    record DeleteKeyPair(TenantId tenant, String name, String id) implements Command {}

    /**
     * Tags resources (instances, key pairs) of {@code tenant} (null: an operator, any tenant's).
     * A resource of another tenant is refused exactly like one that does not exist.
     */
    record CreateTags(TenantId tenant, List<String> resources, Map<String, String> tags) implements Command {}

    /** Removes tags; a tag with a null value is removed whatever its value. */
    record DeleteTags(TenantId tenant, List<String> resources, List<Tag> tags) implements Command {}

    /** Applies a new version of the continuity plan. @param by the account that applies it */
    record ApplyPlan(org.phare.core.continuity.Plan plan, String by, String note) implements Command {}

    /** Replaces the roster (people already known keep their status). */
    record ImportRoster(List<org.phare.core.continuity.Person> people, String by) implements Command {}

    record SetStaffStatus(String person, String status, String by) implements Command {}

    /** Changes the alert level. @param trigger {@code manual}, or the kind of trigger that asks for it */
    record SetLevel(int level, String by, String reason, String trigger) implements Command {}

    /** An order closes a site, or every site of an area. */
    record CloseSites(String siteOrArea, String order, String by) implements Command {}

    /** The order closing a site, or every site of an area, was lifted. */
    record ReopenSites(String siteOrArea, String by) implements Command {}

    /** Public transport into an area was lost ({@code lost}) or came back. */
    record SetTransport(String area, boolean lost, String reason, String by) implements Command {}

    /** Opens a meeting of the crisis cell (one at a time). */
    record OpenMeeting(String by) implements Command {}

    record CloseMeeting(String by) implements Command {}

    /** A line of minutes or a decision, in the meeting in progress (or between meetings). */
    record RecordMinutes(String text, boolean decision, String by) implements Command {}

    /** Gives an action to an owner. @param due as people write it (see {@code Cadence.due}) */
    record OpenAction(String text, String owner, String due, String by) implements Command {}

    record CloseAction(int action, String outcome, String by) implements Command {}

    record StopInstances(List<InstanceId> instances) implements Command {}

    record StartInstances(List<InstanceId> instances) implements Command {}

    record TerminateInstances(List<InstanceId> instances) implements Command {}

    /** Restart running instances in place; refused for an instance that is not running on a host. */
    record RebootInstances(List<InstanceId> instances) implements Command {}

    /** Cordon, uncordon or drain a host. */
    record SetHostScheduling(HostId host, Schedulability scheduling, String reason) implements Command {}

    // --- drills ---

    /** Records a drill to start at {@code startAtMs} (0: at once); {@code prediction} may be null. */
    record ScheduleDrill(org.phare.core.drill.Drill drill, long startAtMs, org.phare.core.drill.Prediction prediction,
                         String by) implements Command {}

    /** Ends a drill at once, every fault it caused healed (or cancels one not started). */
    record AbortDrill(String drill, String reason, String by) implements Command {}

    /** What the prober saw of a drill's watched instances. */
    record ReportProbe(String drill, int watched, long probes, java.util.List<org.phare.core.drill.Outage> outages,
                       String by) implements Command {}

    /** A person wrote to the cloud: counted as a manual intervention if a drill runs. */
    record NoteIntervention(String who, String role, String action) implements Command {}

    /** Opens each finding of an ended drill's report as an action of the crisis cell (once each). */
    record OpenDrillFindings(String drill, String by) implements Command {}
}
