package org.azuregahp.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.logging.ClientLogger;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineImageInner;
import com.azure.resourcemanager.compute.models.HyperVGenerationTypes;
import com.azure.resourcemanager.compute.models.Plan;
import com.azure.resourcemanager.compute.models.SecurityProfile;
import com.azure.resourcemanager.compute.models.SecurityTypes;
import com.azure.resourcemanager.compute.models.UefiSettings;
import com.azure.resourcemanager.compute.models.VirtualMachineImageFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.ports.ImageRef;
import reactor.core.publisher.Mono;

/**
 * What an image asks of the VM or scale set made from it, read once per process and image: whether
 * it needs (or by default gets) Trusted Launch, and the purchase plan of a marketplace image sold
 * with one. A Compute Gallery image's definition says its security type in its features
 * ({@code TrustedLaunch}: only Trusted Launch; {@code TrustedLaunchSupported} and
 * {@code TrustedLaunchAndConfidentialVmSupported}: Trusted Launch is the default); a marketplace
 * image version says its generation, features and plan. An image the server cannot read (404, 403)
 * gets nothing, and Azure's answer to the create says what is wrong with it.
 */
final class ImageProfiles {
    /** Compute Gallery API (the version the compute client of this build sends for gallery images). */
    static final String GALLERY_API = "2024-03-03";
    private static final ClientLogger LOG = new ClientLogger(ImageProfiles.class);
    private static final Pattern GALLERY_IMAGE = Pattern.compile(
            "(?i)(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Compute/galleries/[^/]+/images/[^/]+)"
                    + "(/versions/[^/]+)?/?");
    private static final Set<String> TRUSTED_LAUNCH_DEFAULT = Set.of("trustedlaunch", "trustedlaunchsupported",
            "trustedlaunchandconfidentialvmsupported");

    /** What the create must send for this image: nothing, Trusted Launch, a purchase plan, or both. */
    record Facts(boolean trustedLaunch, Plan plan) {
        static final Facts NONE = new Facts(false, null);

        /** Trusted Launch with secure boot and vTPM on, or null. */
        SecurityProfile securityProfile() {
            return trustedLaunch ? new SecurityProfile().withSecurityType(SecurityTypes.TRUSTED_LAUNCH)
                    .withUefiSettings(new UefiSettings().withSecureBootEnabled(true).withVTpmEnabled(true)) : null;
        }
    }

    private final ConcurrentHashMap<String, CompletableFuture<Facts>> memo = new ConcurrentHashMap<>();

    Mono<Facts> facts(Clients c, ImageRef image, String location) {
        String key;
        Mono<Facts> read;
        if (image instanceof ImageRef.ResourceId r && r.gallery()) {
            Matcher m = GALLERY_IMAGE.matcher(r.id());
            if (!m.matches()) {
                return Mono.just(Facts.NONE);
            }
            String definition = m.group(1);
            key = definition.toLowerCase(Locale.ROOT);
            read = new ArmRest(c).get(definition, GALLERY_API).map(ImageProfiles::galleryFacts);
        } else if (image instanceof ImageRef.Marketplace mp) {
            String loc = location.toLowerCase(Locale.ROOT);
            key = c.subscription() + "|" + loc + "|" + mp.toString().toLowerCase(Locale.ROOT);
            read = marketplaceImage(c, mp, loc).map(ImageProfiles::marketplaceFacts).defaultIfEmpty(Facts.NONE);
        } else {
            return Mono.just(Facts.NONE);
        }
        return Mono.defer(() -> {
            CompletableFuture<Facts> f = memo.computeIfAbsent(key, k -> {
                CompletableFuture<Facts> made = read.onErrorResume(ImageProfiles::unreadable, e -> {
                    LOG.info("image {} could not be read ({}); creating without a security profile or plan", image,
                            AzureErrors.unwrap(e).getClass().getSimpleName());
                    return Mono.just(Facts.NONE);
                }).toFuture();
                made.whenComplete((v, e) -> {
                    if (e != null) {
                        memo.remove(k);
                    }
                });
                return made;
            });
            return Mono.fromFuture(f, true);
        });
    }

    private static boolean unreadable(Throwable t) {
        Throwable e = AzureErrors.unwrap(t);
        if (e instanceof HttpResponseException h && h.getResponse() != null) {
            int s = h.getResponse().getStatusCode();
            return s == 404 || s == 403;
        }
        return false;
    }

    private static Mono<VirtualMachineImageInner> marketplaceImage(Clients c, ImageRef.Marketplace mp, String location) {
        var images = c.compute().getVirtualMachineImages();
        Mono<String> version = !mp.version().equalsIgnoreCase("latest") ? Mono.just(mp.version())
                : images.listWithResponseAsync(location, mp.publisher(), mp.offer(), mp.sku(), null, 1, "name desc")
                        .flatMap(r -> r.getValue() == null || r.getValue().isEmpty() ? Mono.empty()
                                : Mono.just(r.getValue().get(0).name()));
        return version.flatMap(v -> images.getAsync(location, mp.publisher(), mp.offer(), mp.sku(), v));
    }

    @SuppressWarnings("unchecked")
    static Facts galleryFacts(Map<String, Object> definition) {
        Object props = definition.get("properties");
        if (!(props instanceof Map<?, ?> p) || !(((Map<String, Object>) p).get("features") instanceof List<?> features)) {
            return Facts.NONE;
        }
        for (Object f : features) {
            if (f instanceof Map<?, ?> fm && "SecurityType".equalsIgnoreCase(String.valueOf(fm.get("name")))) {
                String value = String.valueOf(fm.get("value")).toLowerCase(Locale.ROOT);
                return new Facts(TRUSTED_LAUNCH_DEFAULT.contains(value), null);
            }
        }
        return Facts.NONE;
    }

    static Facts marketplaceFacts(VirtualMachineImageInner image) {
        Plan plan = image.plan() == null ? null : new Plan().withName(image.plan().name())
                .withPublisher(image.plan().publisher()).withProduct(image.plan().product());
        boolean gen2 = HyperVGenerationTypes.V2.equals(image.hyperVGeneration());
        boolean trusted = false;
        List<VirtualMachineImageFeature> features = image.features();
        if (gen2 && features != null) {
            for (VirtualMachineImageFeature f : features) {
                if ("SecurityType".equalsIgnoreCase(f.name()) && f.value() != null
                        && TRUSTED_LAUNCH_DEFAULT.contains(f.value().toLowerCase(Locale.ROOT))) {
                    trusted = true;
                }
            }
        }
        return new Facts(trusted, plan);
    }
}
