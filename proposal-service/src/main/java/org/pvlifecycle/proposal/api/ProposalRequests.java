package org.pvlifecycle.proposal.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pvlifecycle.events.EvidenceKind;
import org.pvlifecycle.events.PolicyChanged;

import java.util.List;

/** The request bodies of the proposal API (docs/api.md), with the rules each field must keep. */
public final class ProposalRequests {
    /*
     * Not "policy": the consensus service keeps its policy as the event stream of that subject, so
     * a proposal of that id would share its versions with the policy, and one of the two would be
     * refused as a concurrent change from then on.
     */
    static final String SLUG = "(?!" + PolicyChanged.POLICY_SUBJECT + "$)[a-z0-9-]{2,40}";
    static final String SLUG_MESSAGE = "must be a slug: 2 to 40 of a-z, 0-9 and -, and not \"policy\"";
    /*
     * Components are the policy's ids, which a MAINTAINERS file makes up to 64 characters long
     * (public-i-o-interfaces-and-pv-drivers-designs is 44); wider than SLUG, so no name accepted before is refused.
     */
    static final String COMPONENT = "(?=.*[a-z0-9])[a-z0-9-]{1,64}";
    static final String COMPONENT_MESSAGE = "must be a component id: 1 to 64 of a-z, 0-9 and -, not only dashes";
    /**
     * A path in a repository, as a patch names it (docs/api.md): relative, so no leading {@code /};
     * no {@code ..} segment; no control characters, and no space at either end.
     */
    static final String PATH = "(?!/)(?!(?:.*/)?\\.\\.(?:/|$))[^\\s\\p{Cntrl}](?:[^\\p{Cntrl}]*[^\\s\\p{Cntrl}])?";
    static final String PATH_MESSAGE = "must be a relative path in the repository: not blank, no leading /, no .. segment";
    static final int MAX_PATHS = 64;
    static final int MAX_PATH_LENGTH = 256;

    @Schema(description = "A new proposal; its spec is the design document in Markdown")
    public record NewProposal(
            @NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String id,
            @NotBlank @Size(max = 200) String title,
            @NotNull @Size(max = 4000) String summary,
            @Schema(description = "The components it touches; when left out (or empty) with paths given, the "
                    + "components of the policy's MAINTAINERS sections that cover the paths")
            @Size(max = 50) List<@NotNull @Pattern(regexp = COMPONENT, message = COMPONENT_MESSAGE) String> components,
            @NotBlank String spec,
            @Schema(description = "Repository paths the protocol lives in (docs/misc/pvcalls.pandoc, "
                    + "xen/include/public/io/pvcalls.h), by which list mail is tied to the proposal; optional")
            @Size(max = MAX_PATHS) List<@NotNull @Size(max = MAX_PATH_LENGTH)
                    @Pattern(regexp = PATH, message = PATH_MESSAGE) String> paths) {
    }

    @Schema(description = "A new revision of the spec")
    public record NewRevision(
            @NotBlank String spec,
            @Size(max = 2000) String note,
            @Schema(description = "When given, the proposal's repository paths from this revision on (empty: none); "
                    + "when left out, they stay as they are")
            @Size(max = MAX_PATHS) List<@NotNull @Size(max = MAX_PATH_LENGTH)
                    @Pattern(regexp = PATH, message = PATH_MESSAGE) String> paths) {
    }

    @Schema(description = "Per-kind detail: list (PATCHES_POSTED), repository (UPSTREAM_COMMITTED), "
            + "backward and crossPlatform (COMPAT_PROMISES), version (VERSION_BUMPED), none (DESIGN_COMMITTED)")
    public record Detail(
            @Size(max = 200) String list,
            @Size(max = 500) String repository,
            @Size(max = 4000) String backward,
            @Size(max = 4000) String crossPlatform,
            Integer version) {
    }

    @Schema(description = "Evidence for the proposal's progress")
    public record NewEvidence(
            @NotNull EvidenceKind kind,
            @NotBlank @Size(max = 500) String reference,
            @Valid Detail detail) {
    }

    @Schema(description = "Why the proposal is withdrawn")
    public record Withdrawal(@NotBlank @Size(max = 2000) String reason) {
    }

    private ProposalRequests() {
    }
}
