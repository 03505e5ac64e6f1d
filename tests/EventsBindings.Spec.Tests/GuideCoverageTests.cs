using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// Every parameter, field and endpoint that the vendors' guides name (hand-listed below from
/// <c>tests/fixtures/api-docs/*.txt</c>) is in the contracts. The lists are checked against the
/// guide texts too, so that they can neither invent a name nor miss a row of a parameter table.
/// </summary>
public sealed class GuideCoverageTests
{
    private const string AbrGuide = "admin-by-request-events-api.txt";
    private const string BanyanGuide = "banyan-events-api.txt";

    // Admin By Request: "Filters" table (sent as query parameters or headers).
    private static readonly string[] AbrFilters = { "startid", "take", "last", "code", "days", "startdate", "enddate" };

    // Admin By Request: "Fields" table; application.* are fields of the nested application object.
    private static readonly string[] AbrFields =
    {
        "id", "eventCode", "eventLevel", "eventText", "eventTime", "eventTimeUTC", "computerName", "userAccount", "userName",
        "alertAccount", "auditLogURL", "rollback", "additionalData", "application.file", "application.path", "application.name",
        "application.vendor", "application.version", "application.sha256",
    };

    // Banyan: query parameters of each endpoint, in the guide's order.
    private static readonly (string Method, string Path, string Endpoint, string[] Parameters)[] BanyanEndpoints =
    {
        ("GET", "/events", "Events", new[] { "order", "before", "after", "type", "sub_type", "user_email", "device_id", "serialnumber", "workload_container_id", "service_name", "skip", "limit", "action", "id", "external_id", "severity" }),
        ("GET", "/events/count", "EventCount", new[] { "before", "after", "type", "sub_type", "user_email", "device_id", "serialnumber", "workload_container_id", "service_name", "action", "id", "external_id", "severity" }),
        ("GET", "/events/feed", "EventFeed", new[] { "order", "before", "after", "skip", "limit" }),
    };

    // Banyan: the fields of the example events (/events), by path.
    private static readonly string[] BanyanEventFields =
    {
        "id", "org_id", "org_name", "severity", "action", "type", "sub_type", "message", "result", "created_at",
        "user_principal.device.id", "user_principal.device.friendly_name", "user_principal.device.mac_address",
        "user_principal.device.serial_number", "user_principal.device.registration_status", "user_principal.device.compromised_status",
        "user_principal.device.compliance_status", "user_principal.device.oem_info", "user_principal.device.model",
        "user_principal.device.platform", "user_principal.device.ownership", "user_principal.device.architecture",
        "user_principal.device.udid", "user_principal.device.source", "user_principal.device.last_mdm_data_synced_at",
        "user_principal.user.email", "user_principal.user.groups", "user_principal.user.roles",
    };

    // Banyan: the fields of the example feed items (/events/feed): 'messages' and 'group_id' instead of 'message'.
    private static readonly string[] BanyanFeedFields =
    {
        "action", "created_at", "group_id", "id", "messages", "org_id", "org_name", "result", "severity", "sub_type", "type",
        "user_principal.device.architecture", "user_principal.device.compliance_status", "user_principal.device.compromised_status",
        "user_principal.device.friendly_name", "user_principal.device.id", "user_principal.device.last_mdm_data_synced_at",
        "user_principal.device.mac_address", "user_principal.device.model", "user_principal.device.oem_info",
        "user_principal.device.ownership", "user_principal.device.platform", "user_principal.device.registration_status",
        "user_principal.device.serial_number", "user_principal.device.source", "user_principal.device.udid",
        "user_principal.user.email", "user_principal.user.groups", "user_principal.user.roles",
    };

    private static readonly int[] BanyanStatuses = { 401, 403, 500 };

    private static string Guide(string file) => File.ReadAllText(TestFiles.FixturePath("api-docs", file));

    [Fact]
    public void Abr_filters_are_parameters_of_every_events_endpoint()
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        foreach (var endpoint in new[] { "Events", "ComputerEvents", "UserEvents" })
        {
            var spec = contract.FindEndpoint(endpoint);
            Assert.NotNull(spec);
            foreach (var name in AbrFilters)
            {
                var parameter = spec!.FindParameter(name);
                Assert.True(parameter is not null, $"{endpoint} lacks {name}");

                // "Filters can be supplied either as URL parameters or headers."
                Assert.Equal(ParameterLocation.QueryOrHeader, parameter!.In);
            }
        }
    }

    [Fact]
    public void Abr_header_and_endpoints_are_in_the_contract()
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        Assert.Contains(contract.AuthSchemes, s => s.Kind == AuthKind.ApiKey && s.Header == "apikey");
        Assert.Contains(contract.Endpoints, e => e.Method == "GET" && e.Path == "/events" && e.Response.Kind == ResponseKind.List);

        // "This ID can be used to query … by appending it to the url": GET /events/{id}.
        Assert.Contains(contract.Endpoints, e => e.Method == "GET" && e.Path == "/events/{id}" && e.Response.Kind == ResponseKind.Item);
    }

    [Fact]
    public void Abr_fields_are_in_the_event_model()
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        var model = contract.FindEndpoint("Events")!.Response.Model!;
        foreach (var path in AbrFields)
        {
            Assert.True(contract.ResolvePath(contract.FindModel(model)!, path) is not null, $"Event lacks {path}");
        }
    }

    [Fact]
    public void Banyan_endpoints_and_their_parameters_are_in_the_contract()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        foreach (var (method, path, name, parameters) in BanyanEndpoints)
        {
            var endpoint = contract.FindEndpoint(name);
            Assert.NotNull(endpoint);
            Assert.Equal(method, endpoint!.Method);
            Assert.Equal(path, endpoint.Path);
            foreach (var parameter in parameters)
            {
                Assert.True(endpoint.FindParameter(parameter) is not null, $"{name} lacks {parameter}");
            }

            // "Authorization: Bearer $AUTHTOKEN"
            Assert.Contains(endpoint.Security, s => contract.FindScheme(s)!.Kind == AuthKind.Bearer);
            foreach (var status in BanyanStatuses)
            {
                Assert.Contains(contract.ErrorsFor(endpoint), e => e.Status == status);
            }
        }

        Assert.Equal(ResponseKind.Count, contract.FindEndpoint("EventCount")!.Response.Kind);
        Assert.All(BanyanEndpoints, e => Assert.Equal("data", contract.FindEndpoint(e.Endpoint)!.Response.Envelope));
    }

    [Fact]
    public void Banyan_fields_are_in_the_models()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        foreach (var (endpoint, fields) in new[] { ("Events", BanyanEventFields), ("EventFeed", BanyanFeedFields) })
        {
            var model = contract.FindModel(contract.FindEndpoint(endpoint)!.Response.Model!)!;
            foreach (var path in fields)
            {
                Assert.True(contract.ResolvePath(model, path) is not null, $"{model.Name} ({endpoint}) lacks {path}");
            }
        }
    }

    [Fact]
    public void The_hand_lists_name_only_what_the_guides_say()
    {
        var abr = Guide(AbrGuide);
        Assert.All(AbrFilters, name => Assert.Contains("\n" + name + " | ", abr, StringComparison.Ordinal));
        Assert.All(AbrFields, name => Assert.Contains("\n" + name + " | ", abr, StringComparison.Ordinal));
        Assert.Contains("\napikey | ", abr, StringComparison.Ordinal);

        var banyan = Guide(BanyanGuide);
        foreach (var (method, path, _, parameters) in BanyanEndpoints)
        {
            Assert.Contains(method + " " + path + "\n", banyan, StringComparison.Ordinal);
            Assert.All(parameters, name => Assert.Contains("\n" + name + " ", banyan, StringComparison.Ordinal));
        }

        foreach (var path in BanyanEventFields.Concat(BanyanFeedFields))
        {
            Assert.Contains("\"" + path.Split('.').Last() + "\":", banyan, StringComparison.Ordinal);
        }

        Assert.All(BanyanStatuses, status => Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), banyan, StringComparison.Ordinal));
    }

    [Fact]
    public void The_hand_lists_miss_no_row_of_the_guides_tables()
    {
        // Admin By Request: every "name | description | type |" row between "Filters" and "Event Codes".
        var abr = Guide(AbrGuide);
        var rows = abr.Substring(abr.IndexOf("\nFilters\n", StringComparison.Ordinal), abr.IndexOf("Event Codes", StringComparison.Ordinal) - abr.IndexOf("\nFilters\n", StringComparison.Ordinal))
            .Split('\n')
            .Where(line => line.Contains(" | ", StringComparison.Ordinal))
            .Select(line => line.Substring(0, line.IndexOf(" | ", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(AbrFilters.Length + AbrFields.Length, rows.Count);
        Assert.All(rows, name => Assert.Contains(name, AbrFilters.Concat(AbrFields)));

        // Banyan: each "Query Parameters" table, from its header row to the next blank line.
        var banyan = Guide(BanyanGuide);
        var tables = banyan.Split("Parameter Format Description\n").Skip(1)
            .Select(part => part.Substring(0, part.IndexOf("\n\n", StringComparison.Ordinal)).Split('\n').Select(line => line.Split(' ')[0]).ToArray())
            .ToList();
        Assert.Equal(BanyanEndpoints.Length, tables.Count);
        for (var i = 0; i < tables.Count; i++)
        {
            Assert.Equal(tables[i], BanyanEndpoints[i].Parameters);
        }

        // Every JSON property name of the guide's examples is in one of the field lists.
        var names = System.Text.RegularExpressions.Regex.Matches(banyan, "\"([a-z_]+)\":").Select(m => m.Groups[1].Value).ToHashSet();
        names.Remove("data");
        var listed = BanyanEventFields.Concat(BanyanFeedFields).Select(p => p.Split('.').Last()).Concat(new[] { "user_principal", "device", "user" }).ToHashSet();
        Assert.All(names, name => Assert.Contains(name, listed));
    }
}
