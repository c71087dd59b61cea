using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// THE list of messages that cross nodes and their manifests (one line each). The type must
/// implement FleetMerge.Protocol.IWireMessage; an unregistered one fails to send with a message
/// naming it. Nodes of different versions understand each other as long as the manifests they
/// share mean the same: never rename or reuse one.
/// </summary>
public static class WireManifests
{
    public static ManifestRegistry.Builder Register(ManifestRegistry.Builder builder) => builder
        // Host agents ↔ the coordinator's host registry.
        .Add(typeof(HostReport), "wire.host-report.v1")
        .Add(typeof(HostLeaving), "wire.host-leaving.v1")
        .Add(typeof(HostRegistered), "wire.host-registered.v1")
        .Add(typeof(RequestHostReports), "wire.request-host-reports.v1")
        // Campaign steps and their answers.
        .Add(typeof(HostStep), "wire.host-step.v1")
        .Add(typeof(HostStepResult), "wire.host-step-result.v1")
        .Add(typeof(HostStepRefused), "wire.host-step-refused.v1")
        // The API ↔ the coordinator: campaigns.
        .Add(typeof(StartCampaign), "wire.start-campaign.v1")
        .Add(typeof(CampaignAccepted), "wire.campaign-accepted.v1")
        .Add(typeof(ListCampaigns), "wire.list-campaigns.v1")
        .Add(typeof(CampaignList), "wire.campaign-list.v1")
        .Add(typeof(GetCampaign), "wire.get-campaign.v1")
        .Add(typeof(PauseCampaign), "wire.pause-campaign.v1")
        .Add(typeof(ResumeCampaign), "wire.resume-campaign.v1")
        .Add(typeof(AbortCampaign), "wire.abort-campaign.v1")
        .Add(typeof(CampaignView), "wire.campaign-view.v1")
        // Hosts.
        .Add(typeof(ListHosts), "wire.list-hosts.v1")
        .Add(typeof(GetHost), "wire.get-host.v1")
        .Add(typeof(HostList), "wire.host-list.v1")
        .Add(typeof(HostView), "wire.host-view.v1")
        // Policies.
        .Add(typeof(AddPolicy), "wire.add-policy.v1")
        .Add(typeof(ListPolicies), "wire.list-policies.v1")
        .Add(typeof(GetPolicy), "wire.get-policy.v1")
        .Add(typeof(RemovePolicy), "wire.remove-policy.v1")
        .Add(typeof(RunPolicyNow), "wire.run-policy-now.v1")
        .Add(typeof(PolicyView), "wire.policy-view.v1")
        .Add(typeof(PolicyList), "wire.policy-list.v1");

    public static ManifestRegistry Registry { get; } = Register(new ManifestRegistry.Builder(typeof(IWireMessage))).Build();
}
