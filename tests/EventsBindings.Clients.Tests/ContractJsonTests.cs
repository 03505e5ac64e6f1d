using System.Reflection;
using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Json;
using Xunit;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>
/// The generated types' JSON surface: reachable through <see cref="IContractJson{TSelf}"/> and System.Text.Json,
/// with the plumbing (the readers and writers, a converter per type) off the user's surface.
/// </summary>
public sealed class ContractJsonTests
{
    private static string Fixture(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "banyan", file));

    [Fact]
    public void JsonSerializer_uses_the_contracts_reader_and_writer_without_registration()
    {
        var text = Fixture("event_v2.json");
        var viaContract = ContractJson.Parse<Banyan.Event>(Encoding.UTF8.GetBytes(text));

        var viaSerializer = JsonSerializer.Deserialize<Banyan.Event>(text)!;

        Assert.Equal(Encoding.UTF8.GetString(ContractJson.ToUtf8Bytes(viaContract)), JsonSerializer.Serialize(viaSerializer));
        Assert.Equal(viaContract.Type, viaSerializer.Type);
        Assert.Equal("\"" + viaContract.Type.Value + "\"", JsonSerializer.Serialize(viaContract.Type));
        Assert.Equal(viaContract.Type, JsonSerializer.Deserialize<Banyan.EventType>("\"" + viaContract.Type.Value + "\""));
    }

    [Fact]
    public void Generated_types_show_no_json_plumbing()
    {
        var generated = typeof(Banyan.BanyanClient).Assembly.GetExportedTypes();
        Assert.DoesNotContain(generated, t => t.Name.EndsWith("JsonConverter", StringComparison.Ordinal));
        var models = generated.Where(t => t.GetInterfaces().Any(i => i == typeof(IContractJson))).ToList();
        Assert.Contains(typeof(Banyan.Event), models);
        Assert.Contains(typeof(Banyan.EventType), models);
        foreach (var type in models)
        {
            var plumbing = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.Name is "ReadJson" or "WriteJson").ToList();
            Assert.True(plumbing.Count == 0, $"{type.FullName} has public {string.Join(", ", plumbing)}");
        }
    }
}
