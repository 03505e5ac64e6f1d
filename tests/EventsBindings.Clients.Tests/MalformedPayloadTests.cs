using System.Text;
using EventsBindings.Runtime.Json;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>Read strictly, a payload that breaks the contract fails with the JSON path and the contract's field name.</summary>
public sealed class MalformedPayloadTests
{
    [Fact]
    public void A_wrong_type_names_the_path_and_the_field()
    {
        using var strict = JsonReadScope.Begin(JsonStrictness.Strict);
        const string json = """[{"id": "not-a-number"}]""";
        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<Abr.Event>(Encoding.UTF8.GetBytes(json), null, ContractJson.Read<Abr.Event>));
        Assert.Equal("$[0].id", ex.Path);
        Assert.Equal("Event.id", ex.Field);
        Assert.Contains("$[0].id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_problem_inside_an_envelope_has_its_full_path()
    {
        using var strict = JsonReadScope.Begin(JsonStrictness.Strict);
        const string json = """{"data": [{"id": "a", "org_id": "o", "org_name": "n", "severity": "INFO", "action": "Register", "type": "Registration", "sub_type": "Device", "message": "m", "result": "", "created_at": 1, "user_principal": {"device": {"last_mdm_data_synced_at": "soon"}}}]}""";
        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadList<Banyan.Event>(Encoding.UTF8.GetBytes(json), "data", ContractJson.Read<Banyan.Event>));
        Assert.Equal("$.data[0].user_principal.device.last_mdm_data_synced_at", ex.Path);
        Assert.Equal("Device.last_mdm_data_synced_at", ex.Field);
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        using var strict = JsonReadScope.Begin(JsonStrictness.Strict);
        const string json = """{"id": 7}""";
        var ex = Assert.Throws<JsonPayloadException>(() => JsonPayload.ReadItem<Abr.Event>(Encoding.UTF8.GetBytes(json), null, ContractJson.Read<Abr.Event>));
        Assert.Contains("eventCode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_a_payload_error_not_a_crash()
    {
        var ex = Assert.ThrowsAny<Exception>(() => JsonPayload.ReadList<Abr.Event>(Encoding.UTF8.GetBytes("[{\"id\": 1,"), null, ContractJson.Read<Abr.Event>));
        Assert.IsType<JsonPayloadException>(ex);
    }
}
