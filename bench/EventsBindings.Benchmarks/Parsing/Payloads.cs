using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventsBindings.Bench.Parsing;

/// <summary>The response bodies the parsing benchmarks read, built deterministically (seed 1).</summary>
public static class Payloads
{
    private static readonly (int Code, string Text)[] AbrCodes =
    {
        (40, "Admin By Request Workstation installed"),
        (92, "Execution of file blocked by policy"),
        (5, "Audited administrator logged on"),
        (1, "User added to local admins group"),
        (13, "Local user created"),
        (20, "Policy registry key changed"),
        (95, "Admin Session PIN code used"),
        (90, "Admin Session denied by policy"),
    };

    private static readonly string[] Computers = { "FTWIN11", "LAPTOP-7F3K2", "DESKTOP-QA01", "SRV-FILE02", "MACBOOK-JD", "WIN10-SALES-14" };

    private static readonly (string Account, string Name)[] Users =
    {
        ("TEST", "FastTrack Support"), ("ADMINISTRATOR", "Administrator"), ("JDOE", "John Doe"),
        ("MSMITH", "Mary Smith"), ("ACME\\kpatel", "Kiran Patel"),
    };

    private static readonly (string File, string Path, string Name, string Vendor, string Version)[] Apps =
    {
        ("msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", "Microsoft Edge", "Microsoft Corporation", "120.0.2210.61"),
        ("setup.exe", "C:\\Users\\jdoe\\Downloads", "Zoom Installer", "Zoom Video Communications, Inc.", "5.16.10"),
        ("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", "Windows PowerShell", "Microsoft Corporation", "10.0.22621.1"),
    };

    /// <summary>A page of Admin By Request events (a bare array), shaped like the vendor guide's examples.</summary>
    public static byte[] AdminByRequestPage(int count, long firstId = 49_287_606, int seed = 1)
    {
        var random = new Random(seed);
        using var buffer = new MemoryStream(count * 520);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            var time = new DateTime(2022, 1, 23, 15, 49, 20, 597, DateTimeKind.Unspecified);
            for (var i = 0; i < count; i++)
            {
                WriteAbrEvent(w, random, firstId + i, time);
                time = time.AddMilliseconds(random.Next(1, 60_000));
            }

            w.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void WriteAbrEvent(Utf8JsonWriter w, Random random, long id, DateTime local)
    {
        var (code, text) = AbrCodes[random.Next(AbrCodes.Length)];
        var hasUser = random.Next(10) < 7;
        var user = Users[random.Next(Users.Length)];
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteNumber("eventCode", code);
        w.WriteNumber("eventLevel", code >= 90 ? 1 : 0);
        w.WriteString("eventText", text);
        w.WriteString("eventTime", local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
        w.WriteString("eventTimeUTC", local.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
        w.WriteString("computerName", Computers[random.Next(Computers.Length)]);
        NullableString(w, "userAccount", hasUser ? user.Account : null);
        NullableString(w, "userName", hasUser ? user.Name : null);
        NullableString(w, "alertAccount", code == 1 ? user.Account : null);
        NullableString(w, "auditLogURL", hasUser && random.Next(4) == 0 ? "https://www.adminbyrequest.com/AuditLog?id=" + id.ToString(CultureInfo.InvariantCulture) : null);
        w.WriteBoolean("rollback", random.Next(50) == 0);
        NullableString(w, "additionalData", code == 40 ? "7.3.0" : null);
        w.WritePropertyName("application");
        w.WriteStartObject();
        var withApp = code is 92 or 95 or 90;
        var app = Apps[random.Next(Apps.Length)];
        NullableString(w, "file", withApp ? app.File : null);
        NullableString(w, "path", withApp ? app.Path : null);
        NullableString(w, "name", withApp ? app.Name : null);
        NullableString(w, "vendor", withApp ? app.Vendor : null);
        NullableString(w, "version", withApp ? app.Version : null);
        NullableString(w, "sha256", withApp ? Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + "B30FE66A91FABC2FF5AE6E6A9452C116AEDCAC7DBC5AEEEAEED2EB9C"[..48] : null);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>
    /// A Banyan page <c>{"data":[...]}</c> of <paramref name="count"/> events: the recorded events of
    /// tests/fixtures/banyan (the official SDK's test data) in turn, with fresh ids and descending times.
    /// </summary>
    public static byte[] BanyanPage(int count, string fixturesDirectory, int seed = 1)
    {
        var templates = new List<JsonObject>();
        foreach (var node in JsonNode.Parse(File.ReadAllText(Path.Combine(fixturesDirectory, "events_v2.json")))!.AsArray())
        {
            templates.Add(node!.AsObject());
        }

        foreach (var single in new[] { "event_v2.json", "event_v2_no_user.json", "event_v2_null_user.json" })
        {
            templates.Add(JsonNode.Parse(File.ReadAllText(Path.Combine(fixturesDirectory, single)))!.AsObject());
        }

        var random = new Random(seed);
        var created = 1_602_206_351_114L;
        var data = new JsonArray();
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            var e = (JsonObject)templates[i % templates.Count].DeepClone();
            random.NextBytes(bytes);
            e["id"] = new Guid(bytes).ToString();
            e["created_at"] = created;
            created -= random.Next(1, 5_000);
            data.Add(e);
        }

        var page = new JsonObject { ["data"] = data };
        return JsonSerializer.SerializeToUtf8Bytes(page);
    }

    /// <summary>The fixtures directory beside the binaries (copied by the project).</summary>
    public static string DefaultFixtures => Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan");
}
