using System.Text.Json.Serialization;

namespace EventsBindings.Bench.Parsing;

// Hand-written POCOs equivalent to the generated models, as a user would write them for
// System.Text.Json (reflection or its source generator) and Newtonsoft.Json. Names map through
// naming policies (camelCase for Admin By Request, snake_case for Banyan); enums stay as their wire
// types (int / string), timestamps as DateTime or long, which is the cheapest honest choice.

/// <summary>An Admin By Request event.</summary>
public sealed class AbrEventPoco
{
    public long Id { get; set; }
    public int EventCode { get; set; }
    public int EventLevel { get; set; }
    public string? EventText { get; set; }
    public DateTime EventTime { get; set; }
    public DateTime EventTimeUTC { get; set; }
    public string? ComputerName { get; set; }
    public string? UserAccount { get; set; }
    public string? UserName { get; set; }
    public string? AlertAccount { get; set; }
    public string? AuditLogURL { get; set; }
    public bool Rollback { get; set; }
    public string? AdditionalData { get; set; }
    public AbrApplicationPoco? Application { get; set; }
}

/// <summary>The application of an Admin By Request event.</summary>
public sealed class AbrApplicationPoco
{
    public string? File { get; set; }
    public string? Path { get; set; }
    public string? Name { get; set; }
    public string? Vendor { get; set; }
    public string? Version { get; set; }
    public string? Sha256 { get; set; }
}

/// <summary>The Banyan list envelope.</summary>
public sealed class BanyanPagePoco
{
    public List<BanyanEventPoco>? Data { get; set; }
}

/// <summary>A Banyan event.</summary>
public sealed class BanyanEventPoco
{
    public string Id { get; set; } = "";
    public string? ExternalId { get; set; }
    public string OrgId { get; set; } = "";
    public string OrgName { get; set; } = "";
    public string Severity { get; set; } = "";
    public string Action { get; set; } = "";
    public string Type { get; set; } = "";
    public string SubType { get; set; } = "";
    public string Message { get; set; } = "";
    public string Result { get; set; } = "";
    public long CreatedAt { get; set; }
    public BanyanUserPrincipalPoco? UserPrincipal { get; set; }
    public BanyanWorkloadPrincipalPoco? WorkloadPrincipal { get; set; }
    public List<BanyanRolePoco>? Role { get; set; }
    public BanyanTrustScorePoco? Trustscore { get; set; }
    public BanyanServicePoco? Service { get; set; }
    public BanyanPolicyPoco? Policy { get; set; }
    public BanyanChannelPoco? Channel { get; set; }
    public BanyanLinkPoco? Link { get; set; }
}

public sealed class BanyanUserPrincipalPoco
{
    public BanyanUserPoco? User { get; set; }
    public BanyanDevicePoco? Device { get; set; }
    public BanyanClientPoco? Client { get; set; }
}

public sealed class BanyanUserPoco
{
    public string Email { get; set; } = "";
    public List<string>? Groups { get; set; }
    public List<string>? Roles { get; set; }
}

public sealed class BanyanDevicePoco
{
    public string Id { get; set; } = "";
    public string FriendlyName { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string SerialNumber { get; set; } = "";
    public string? RegistrationStatus { get; set; }
    public bool? Unregistered { get; set; }
    public string CompromisedStatus { get; set; } = "";
    public string ComplianceStatus { get; set; } = "";
    public string OemInfo { get; set; } = "";
    public string Model { get; set; } = "";
    public string Platform { get; set; } = "";
    public string Ownership { get; set; } = "";
    public string Architecture { get; set; } = "";
    public string Udid { get; set; } = "";
    public string Source { get; set; } = "";
    public long LastMdmDataSyncedAt { get; set; }
    public string? LastUserAgent { get; set; }
}

public sealed class BanyanClientPoco
{
    public string UserAgent { get; set; } = "";
    public string IpAddress { get; set; } = "";
}

public sealed class BanyanWorkloadPrincipalPoco
{
    public BanyanWorkloadSetPoco? WorkloadSet { get; set; }
    public BanyanHostPoco? Host { get; set; }
}

public sealed class BanyanWorkloadSetPoco
{
    public string ContainerName { get; set; } = "";
    public string ContainerId { get; set; } = "";
    public string Image { get; set; } = "";
    public string Repo { get; set; } = "";
    public string Tag { get; set; } = "";
    public string Labels { get; set; } = "";
    public string ContainerIps { get; set; } = "";
    public string AppName { get; set; } = "";
}

public sealed class BanyanHostPoco
{
    public string HostIps { get; set; } = "";
    public string HostName { get; set; } = "";
    public string ClusterId { get; set; } = "";
    public string PortMap { get; set; } = "";
}

public sealed class BanyanRolePoco
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string BoundBy { get; set; } = "";
    public long BoundAt { get; set; }
}

public sealed class BanyanTrustScorePoco
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public long Timestamp { get; set; }
    public int Score { get; set; }
}

public sealed class BanyanServicePoco
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string Version { get; set; } = "";
}

public sealed class BanyanPolicyPoco
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string AttachedBy { get; set; } = "";
    public long AttachedAt { get; set; }
    public bool Enabled { get; set; }
}

public sealed class BanyanChannelPoco
{
    public BanyanAccessLevelPoco? AccessLevel { get; set; }
    public BanyanSniDataPoco? SniData { get; set; }
    public BanyanRequestDataPoco? RequestData { get; set; }
}

public sealed class BanyanAccessLevelPoco
{
    public string Resource { get; set; } = "";
}

public sealed class BanyanSniDataPoco
{
    public string NameRequested { get; set; } = "";
    public string NameMatched { get; set; } = "";
}

public sealed class BanyanRequestDataPoco
{
    public string Protocol { get; set; } = "";
    public string Type { get; set; } = "";
    public string QueryCrudTypes { get; set; } = "";
    public string QueryResources { get; set; } = "";
}

public sealed class BanyanLinkPoco
{
    public BanyanLinkEndpointPoco? Source { get; set; }
    public BanyanLinkEndpointPoco? Destination { get; set; }
}

public sealed class BanyanLinkEndpointPoco
{
    public string ContainerId { get; set; } = "";
    public string ContainerName { get; set; } = "";
    public string ServiceId { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public string? ServiceVersion { get; set; }
    public string HostName { get; set; } = "";
    public string Ip { get; set; } = "";
    public string? Port { get; set; }
}

/// <summary>System.Text.Json's source generator over the Admin By Request POCOs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<AbrEventPoco>))]
public sealed partial class AbrPocoContext : JsonSerializerContext;

/// <summary>System.Text.Json's source generator over the Banyan POCOs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BanyanPagePoco))]
public sealed partial class BanyanPocoContext : JsonSerializerContext;
