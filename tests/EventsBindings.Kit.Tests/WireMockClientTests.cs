using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventsBindings.ContractTests;
using EventsBindings.ContractTests.Driving;
using EventsBindings.Kit.Translation;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Kit.Tests;

/// <summary>
/// The generated clients read the documented examples from the real WireMock serving the translated
/// mappings: the translations and the clients agree on paths, auth headers, envelopes and payloads. Every
/// contract and every endpoint with a documented 200 body, driven from the contract (<see cref="ClientDriver"/>):
/// a new contract is covered with no C#.
/// </summary>
public sealed class WireMockClientTests
{
    [Fact]
    public async Task Generated_clients_read_the_documented_examples_from_WireMock()
    {
        var dir = Contracts.TempDir("wiremock-clients");
        ContractTranslations.WriteWireMock(Contracts.Everything, dir);
        var port = ExternalTools.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        await using var wiremock = await ToolProcess.StartAsync(
            "java",
            new[] { "-jar", ExternalTools.WireMockJar, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--root-dir", dir, "--disable-banner" },
            new Uri(baseUrl, "/__admin/health"),
            TimeSpan.FromSeconds(60));

        foreach (var contract in Contracts.Everything)
        {
            var baseAddress = new Uri(baseUrl, contract.Mock!.Prefix.Trim('/') + "/");
            var read = 0;
            foreach (var endpoint in Cases.Callable(contract))
            {
                // The examples a request without a query meets (an example with a query is only served to that query).
                var examples = endpoint.Examples.Where(e => e.Status == 200 && e.Body is not null && e.RequestQuery.Count == 0).ToList();
                if (examples.Count == 0)
                {
                    continue;
                }

                var wire = PathValues(endpoint, examples.FirstOrDefault(e => e.RequestPath is not null)?.RequestPath);
                using var client = ClientDriver.Create(baseAddress, contract);
                var actual = JsonNode.Parse((await client.CallAsync(endpoint, wire)).GetRawText());
                Assert.True(
                    examples.Any(e => JsonNode.DeepEquals(Payload(endpoint, e.Body), actual)),
                    $"{contract.Name} {endpoint.Name}: the client's answer matches no documented example: {actual?.ToJsonString()}");
                read++;

                // Another id than every documented one: the 404 stub, read as the typed not-found error.
                if (wire.Count > 0 && examples.All(e => e.RequestPath is not null) && contract.ErrorsFor(endpoint).Any(e => e.Status == 404))
                {
                    var other = wire.ToDictionary(kv => kv.Key, kv => kv.Value == "1" ? "2" : "1", StringComparer.Ordinal);
                    var missing = await Assert.ThrowsAsync<EventsNotFoundException>(() => client.CallAsync(endpoint, other));
                    Assert.Equal(404, missing.Status);
                }
            }

            Assert.True(read > 0, $"{contract.Name}: no endpoint documents a 200 body the client could read from WireMock.");

            // A contract without a refresh-token scheme: its client refuses such a credential up front.
            if (!contract.AuthSchemes.Any(s => s.Kind == AuthKind.RefreshToken))
            {
                var refused = Record.Exception(() => ClientDriver.Create(baseAddress, contract, new RefreshTokenCredential("x")));
                Assert.IsType<ArgumentException>(refused is TargetInvocationException { InnerException: { } inner } ? inner : refused);
            }
        }
    }

    /// <summary>The endpoint's path values: read from an example's concrete path, else any value (the example stubs match any).</summary>
    private static Dictionary<string, string> PathValues(EndpointSpec endpoint, string? examplePath)
    {
        var names = Regex.Matches(endpoint.Path, "{([^}]+)}").Select(m => m.Groups[1].Value).ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var match = examplePath is null ? null : Regex.Match(examplePath, "^" + Regex.Replace(Regex.Escape(endpoint.Path).Replace(@"\{", "{", StringComparison.Ordinal), "{[^}/]+}", "([^/]+)") + "$");
        for (var i = 0; i < names.Count; i++)
        {
            values[names[i]] = match is { Success: true } ? Uri.UnescapeDataString(match.Groups[i + 1].Value) : "1";
        }

        return values;
    }

    /// <summary>An example's payload: its body without the endpoint's envelope.</summary>
    private static JsonNode? Payload(EndpointSpec endpoint, string body)
    {
        var node = JsonNode.Parse(body);
        return endpoint.Response.Envelope is { } envelope ? node![envelope] : node;
    }
}
