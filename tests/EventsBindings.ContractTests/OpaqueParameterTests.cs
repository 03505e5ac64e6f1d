using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// Issue 14, bug 6: parameters whose semantics the contract declares <c>opaque</c>. The mock does not execute
/// them: by default it answers 501 naming the parameter, which the generated client turns into a typed
/// <see cref="EventsRequestException"/>; with <c>mock: ignore</c> the answer equals leaving the parameter out.
/// Every opaque parameter of every contract is a row, and so is an opaque parameter added to a copy of each
/// exportable contract (a valid contract this project did not have to foresee). The generated client is
/// driven through the registry (its export, the parameter added to each request by a pipeline policy), so
/// no row needs C# of its own. (The registry is the fixture's, <c>EventsBindings.Clients.EventsContracts</c>: this
/// project's own generated one lists only its test contracts.)
/// </summary>
public sealed class OpaqueParameterTests : IDisposable
{
    /// <summary>The parameter the contract copies add (a name no contract uses).</summary>
    private const string Added = "ebOpaqueProbe";

    private readonly string _dir = Directory.CreateTempSubdirectory("ct-opaque-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Rows: api, endpoint, parameter, and how the contract gets it (<c>contract</c>: as it is; <c>copy</c>, <c>copy-ignore</c>: added to a copy).</summary>
    public static TheoryData<string, string, string, string> OpaqueParameters()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                foreach (var p in endpoint.Parameters.Where(p => p.Semantics.Kind == SemanticsKind.Opaque))
                {
                    data.Add(contract.Name, endpoint.Name, p.WireName, "contract");
                }
            }
        }

        foreach (var api in global::EventsBindings.Clients.EventsContracts.Exportable)
        {
            data.Add(api.Name, api.Endpoint, Added, "copy");
            data.Add(api.Name, api.Endpoint, Added, "copy-ignore");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OpaqueParameters))]
    public async Task An_opaque_parameter_is_answered_501_naming_it_unless_the_mock_may_ignore_it(string api, string endpointName, string parameter, string source)
    {
        var contract = TestContracts.Get(api);
        var directory = source == "contract" ? TestContracts.ContractsDirectory : WriteCopy(contract, endpointName, ignore: source == "copy-ignore");
        var spec = source == "contract" ? contract.FindEndpoint(endpointName)!.Parameters.Single(p => p.WireName == parameter) : null;
        var ignored = spec is null ? source == "copy-ignore" : spec.Semantics.MockIgnores;

        await using var host = new MockServerHost(new MockServerOptions { Port = 0, Events = 40, Seed = 5, ContractsDirectory = directory, HotReload = false });
        await host.StartAsync();
        Assert.DoesNotContain(host.Messages, m => m.Contains("EB1", StringComparison.Ordinal));
        var info = host.Apis.Single(a => a.Name == api);
        var credential = info.Credentials.First(c => c.CanRead && c.Kind != "RefreshToken");
        var baseUrl = new Uri(host.BaseAddress, info.Prefix.TrimStart('/'));

        var entry = global::EventsBindings.Clients.EventsContracts.Find(api);
        if (entry is null || entry.Endpoint != endpointName)
        {
            // An endpoint the registry does not export: the mock's answer, over HTTP.
            await AssertOverHttpAsync(host, credential, contract.FindEndpoint(endpointName)!, parameter, ignored);
            return;
        }

        var without = await ExportAsync(entry, baseUrl, credential.Value, null, "without");
        if (ignored)
        {
            var with = await ExportAsync(entry, baseUrl, credential.Value, parameter, "with");
            Assert.NotEmpty(without);
            Assert.Equal(without, with);
            return;
        }

        var ex = await Assert.ThrowsAsync<EventsServerException>(() => ExportAsync(entry, baseUrl, credential.Value, parameter, "with"));
        Assert.Equal(501, ex.Status);
        var body = JsonDocument.Parse(ex.BodyExcerpt!).RootElement;
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
        Assert.Contains("'" + parameter + "'", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Exports everything through the generated client into a file of its own; returns its lines.</summary>
    private async Task<string[]> ExportAsync(ExportableApi entry, Uri baseUrl, string credential, string? parameter, string name)
    {
        var path = Path.Combine(_dir, name + "-" + Guid.NewGuid().ToString("N") + ".ndjson");
        var arguments = new EventsClientArguments(baseUrl, new EventsKeyCredential(credential), Configure: o =>
        {
            o.Retry.MaxRetries = 0;
            if (parameter is not null)
            {
                o.AddPolicy(new AddQueryPolicy(parameter, "anything"), EventsPipelinePosition.PerRetry);
            }
        });
        var export = entry.CreateNdjsonExport(arguments, new InMemoryCheckpointStore(), path, (int?)entry.MaxPageSize);
        await export.RunOnceAsync();
        return File.ReadAllLines(path);
    }

    private static async Task AssertOverHttpAsync(MockServerHost host, MockCredentialInfo credential, EndpointSpec endpoint, string parameter, bool ignored)
    {
        Assert.DoesNotContain('{', endpoint.Path); // an item endpoint's path parameters would need values: not yet a case
        var info = host.Apis.Single(a => a.Credentials.Contains(credential));
        using var http = new HttpClient();
        async Task<(int, string)> GetAsync(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(info.BaseAddress, endpoint.Path.TrimStart('/') + query));
            EventsBindings.MockServer.Xunit.MockServerFixture.Authorize(request, credential);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (status, body) = await GetAsync("?" + parameter + "=anything");
        if (ignored)
        {
            Assert.Equal(await GetAsync(string.Empty), (status, body));
            return;
        }

        Assert.Equal(501, status);
        Assert.Equal(parameter, JsonDocument.Parse(body).RootElement.GetProperty("parameter").GetString());
    }

    /// <summary>A copy of the contract with an opaque query parameter added to the endpoint's list.</summary>
    private string WriteCopy(ContractSpec contract, string endpointName, bool ignore)
    {
        var directory = Path.Combine(_dir, "contracts-" + (ignore ? "ignore" : "501"));
        Directory.CreateDirectory(directory);
        var file = Directory.GetFiles(TestContracts.ContractsDirectory, "*.events.yaml").Single(f => TestContracts.Get(contract.Name) is { } c && File.ReadAllText(f).Contains("name: " + c.Name + "\n", StringComparison.Ordinal));
        var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        var semantics = ignore ? "{ kind: opaque, mock: ignore }" : "{ kind: opaque }";
        text = InsertAfter(text, "\nparameters:\n", $"  {Added}: {{ type: string, semantics: {semantics}, description: An opaque probe added by the contract tests. }}\n");

        // The endpoint's parameter list: the first "parameters: [" after its "name: <endpoint>".
        var at = text.IndexOf("\n  - name: " + endpointName + "\n", text.IndexOf("\nendpoints:\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at >= 0, $"endpoint {endpointName} not found in {file}");
        var list = text.IndexOf("parameters: [", at, StringComparison.Ordinal);
        Assert.True(list >= 0, $"no parameter list of {endpointName} in {file}");
        list += "parameters: [".Length;
        text = text[..list] + Added + ", " + text[list..];
        File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), text);
        return directory;
    }

    private static string InsertAfter(string text, string marker, string insertion)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker.Trim()}' not found");
        at += marker.Length;
        return text[..at] + insertion + text[at..];
    }

    /// <summary>Adds a query parameter to every attempt's URL as it goes on the wire (what a caller's raw query would send).</summary>
    private sealed class AddQueryPolicy(string name, string value) : EventsPipelinePolicy
    {
        public override ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next)
        {
            var http = message.HttpRequest!;
            var uri = http.RequestUri!;
            if (uri.Query.Contains(Uri.EscapeDataString(name) + "=", StringComparison.Ordinal))
            {
                return next(); // a next link that carries the first request's query carries it already
            }

            http.RequestUri = new Uri(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? "?" : "&") + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
            return next();
        }
    }
}
