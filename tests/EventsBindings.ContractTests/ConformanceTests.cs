using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventsBindings.Kit.Translation;
using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Paging;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Xunit;
using Xunit.Abstractions;
using ParameterLocation = EventsBindings.Spec.Model.ParameterLocation;

namespace EventsBindings.ContractTests;

/// <summary>
/// The conformance run's own mock: the contract tests' fixture (a third Kestrel host with a fixed clock, so that it
/// runs beside the other collections). The kit's verify reads "now" from its Date header, which is that clock.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConformanceCollection : ICollectionFixture<ClientsFixture>
{
    public const string Name = "conformance";
}

/// <summary>
/// The promise "a new API is a YAML file and a rebuild" as one test class: every file of <c>contracts/</c>, found in
/// the directory when the tests run (nothing is listed here, and no API is named), is (a) generated into the compiled
/// client fixture, (b) walked to the end in small pages by its generated client against the in-process mock with no
/// duplicate and no gap against the mock's own listing, (c) verified by the kit against the mock with no failed
/// check, (d) translated to OpenAPI 3.1, WireMock mappings and JSON Schema, each read back and checked, and (e) when
/// the generated registry lists it as exportable, exported to NDJSON with a checkpoint twice: the first run delivers
/// every event of the mock's listing exactly once, the second nothing. The real-tool checks of the translations (Java
/// WireMock, Prism) stay in tests/EventsBindings.Kit.Tests.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class ConformanceTests(ClientsFixture fx, ITestOutputHelper output)
{
    /// <summary>The contract files, as the build copied them from <c>contracts/</c> (a glob: a new file is a new case).</summary>
    public static TheoryData<string> ContractFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files())
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> Files() =>
        Directory.GetFiles(TestContracts.ContractsDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_cases_are_every_file_of_the_repositorys_contracts_folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventsBindings.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var source = Directory.GetFiles(Path.Combine(dir!.FullName, "contracts"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(source.Count >= 3, "contracts/ holds the repository's contracts");
        Assert.Equal(source, Files());
    }

    /// <summary>The contract of a file; a file of contracts/ that does not parse fails here, with its diagnostics.</summary>
    private static ContractSpec Read(string file)
    {
        var parsed = ContractReader.ParseFile(Path.Combine(TestContracts.ContractsDirectory, file));
        Assert.True(parsed.Success && parsed.Contract is not null, file + ":\n" + string.Join("\n", parsed.Diagnostics));
        return parsed.Contract!;
    }

    // ---- (a) built ----

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public void The_generated_client_exists_with_a_method_per_endpoint(string file)
    {
        var contract = Read(file);
        var clientType = ClientDriver.Type(contract, contract.Name + "Client");
        var optionsType = ClientDriver.Type(contract, contract.Name + "ClientOptions");
        Assert.True(typeof(EventsClientOptions).IsAssignableFrom(optionsType), optionsType.FullName);

        // The client's descriptor names the contract.
        var api = clientType.GetProperty("Api", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        Assert.True(api is not null, $"{clientType.FullName} has no descriptor (Api).");
        Assert.Equal(contract.Name, api!.GetType().GetProperty("Name")!.GetValue(api));

        var callable = Cases.Callable(contract).ToList();
        Assert.NotEmpty(callable);
        foreach (var endpoint in callable)
        {
            var method = clientType.GetMethod("Get" + endpoint.Name + "Async");
            Assert.True(method is not null, $"{clientType.FullName} lacks Get{endpoint.Name}Async for the endpoint {endpoint.Name}.");
            var returned = method!.ReturnType;
            Type item;
            if (endpoint.Response.Kind == ResponseKind.List)
            {
                Assert.True(returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(EventsPageable<>), $"{endpoint.Name}: {returned} is not an EventsPageable<T>.");
                item = returned.GetGenericArguments()[0];
            }
            else
            {
                Assert.True(returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(Task<>), $"{endpoint.Name}: {returned} is not a Task<EventsResponse<T>>.");
                var response = returned.GetGenericArguments()[0];
                Assert.True(response.IsGenericType && response.GetGenericTypeDefinition() == typeof(EventsResponse<>), $"{endpoint.Name}: {response} is not an EventsResponse<T>.");
                item = response.GetGenericArguments()[0];
            }

            if (endpoint.Response.Kind == ResponseKind.Count)
            {
                Assert.Equal(typeof(long), item);
            }
            else
            {
                // A model generated from the contract, in its namespace, read and written by its own code.
                Assert.Equal(contract.Namespace, item.Namespace);
                Assert.True(typeof(IContractJson).IsAssignableFrom(item), $"{endpoint.Name}: {item} is not a generated model.");
            }
        }
    }

    // ---- (b) walked ----

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public async Task Every_list_endpoint_is_walked_to_the_end_in_small_pages_without_duplicates_or_gaps(string file)
    {
        var contract = Read(file);
        var lists = Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List).ToList();
        Assert.NotEmpty(lists);
        var pagedWalks = 0;
        foreach (var endpoint in lists)
        {
            var wire = await fx.WholeAsync(contract, endpoint);
            var path = endpoint.Parameters.Where(p => p.In == ParameterLocation.Path).ToDictionary(p => p.WireName, p => wire[p.WireName], StringComparer.Ordinal);
            var query = wire.Where(kv => !path.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

            // The mock's own listing: plain HTTP, the largest pages the contract allows.
            var listing = (await Walker.AllAsync(fx, contract, endpoint, query, pathValues: path)).Select(i => Id(contract, endpoint, i)).ToList();
            Assert.True(listing.Count > 0, $"{endpoint.Name} lists nothing on the mock: nothing to compare.");
            Assert.True(listing.Count == listing.Distinct(StringComparer.Ordinal).Count(), $"{endpoint.Name}: the mock's own listing repeats items.");

            // The generated client, through AsPages with a small page size hint (about seven pages), from the start to the end.
            var size = endpoint.Pagination is { Strategy: not PaginationStrategy.None, PageSizeParameter: { } sizeName } ? endpoint.FindParameter(sizeName) : null;
            int? hint = size is null ? null : (int)Math.Max(size.Minimum ?? 1, (listing.Count / 7) + 1);
            using var client = ClientDriver.Create(fx, contract);
            var pages = await client.PagesAsync(endpoint, wire, pageSizeHint: hint);
            var walked = pages.SelectMany(p => p.Items).Select(i => Id(contract, endpoint, i)).ToList();

            var duplicates = walked.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            var gaps = listing.Except(walked, StringComparer.Ordinal).ToList();
            var extra = walked.Except(listing, StringComparer.Ordinal).ToList();
            output.WriteLine($"{contract.Name} {endpoint.Name}: {walked.Count} items in {pages.Count} pages (hint {hint?.ToString(CultureInfo.InvariantCulture) ?? "none"}), listing {listing.Count}; {duplicates.Count} duplicates, {gaps.Count} gaps, {extra.Count} extra");
            Assert.True(duplicates.Count == 0, $"{endpoint.Name}: duplicates {string.Join(", ", duplicates.Take(10))}");
            Assert.True(gaps.Count == 0, $"{endpoint.Name}: gaps {string.Join(", ", gaps.Take(10))}");
            Assert.True(extra.Count == 0, $"{endpoint.Name}: not in the mock's listing {string.Join(", ", extra.Take(10))}");
            Assert.Equal(listing, walked);

            // Small pages: a paged endpoint with more items than a page needed several, each within the hint.
            if (hint is { } h && listing.Count > h)
            {
                pagedWalks++;
                Assert.True(pages.Count >= (listing.Count + h - 1) / h, $"{endpoint.Name}: {pages.Count} pages for {listing.Count} items of at most {h}.");
                Assert.All(pages, p => Assert.True(p.Items.Count <= h, $"{endpoint.Name}: a page of {p.Items.Count} items beyond the hint {h}."));
            }

            // Every response the client read conformed to the kit's JSON Schema of the endpoint.
            Assert.Equal(client.Handler.Sent.Count, client.Handler.Validated);
        }

        Assert.True(pagedWalks > 0, $"{contract.Name}: no list endpoint was walked in more than one page.");
    }

    /// <summary>An item's identity: the contract's mock id field (<c>mock.id</c>) where the item has it, else its whole JSON.</summary>
    private static string Id(ContractSpec contract, EndpointSpec endpoint, JsonElement item) =>
        contract.Mock?.Id is { } id && Oracle.Text(Oracle.At(item, id.Field)) is { } text
            ? text
            : throw new Xunit.Sdk.XunitException($"{contract.Name} {endpoint.Name}: an item without the id field {contract.Mock?.Id?.Field}: {item.GetRawText()}");

    // ---- (c) verified ----

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public async Task The_kits_verify_passes_against_the_mock(string file)
    {
        var contract = Read(file);
        var credential = fx.Credential(contract.Name, contract.Security[0]).Value;
        var baseUrl = new Uri(fx.ApiBaseAddress(contract.Name).ToString().TrimEnd('/'));
        var report = await ContractVerifier.RunAsync(contract, baseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero });
        output.WriteLine(report.ToString());
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(0, report.Count(CheckStatus.Fail));
        Assert.True(report.Count(CheckStatus.Pass) >= Cases.Callable(contract).Count(), report.ToString());
        Assert.DoesNotContain(credential, report.ToString(), StringComparison.Ordinal);
    }

    // ---- (d) translated ----

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public void The_OpenAPI_translation_reads_back_as_OpenAPI_3_1_with_every_operation(string file)
    {
        var contract = Read(file);
        var json = OpenApiTranslator.ToJson(contract);
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.NotNull(result.Document);
        Assert.True(result.Diagnostic!.Errors.Count == 0, string.Join("\n", result.Diagnostic.Errors.Select(e => e.Pointer + ": " + e.Message)));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        foreach (var endpoint in contract.Endpoints)
        {
            Assert.True(result.Document!.Paths.TryGetValue(endpoint.Path, out var item), $"no path {endpoint.Path}");
            Assert.True(item!.Operations!.TryGetValue(new HttpMethod(endpoint.Method), out var operation), $"no {endpoint.Method} {endpoint.Path}");
            Assert.Equal(endpoint.Name, operation!.OperationId);
        }
    }

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public async Task The_JSON_Schema_translation_loads_and_accepts_the_documented_bodies(string file)
    {
        var contract = Read(file);
        var dir = Directory.CreateTempSubdirectory("eb-conformance-jsonschema-");
        try
        {
            var written = ContractTranslations.WriteJsonSchema(new[] { contract }, dir.FullName);
            Assert.Equal(contract.Models.Count + contract.Endpoints.Count, written.Count);
            foreach (var path in written)
            {
                Assert.NotNull(await NJsonSchema.JsonSchema.FromFileAsync(path));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // The documented examples and error bodies conform to the translated schemas (the validator the
        // contract tests run on every response; (b) ran it on the mock's pages).
        var schemas = ResponseSchemas.For(contract, fx.ApiBaseAddress(contract.Name));
        var bodies = 0;
        foreach (var endpoint in contract.Endpoints)
        {
            foreach (var example in endpoint.Examples.Where(e => e.Body is not null))
            {
                var (errors, schema) = schemas.Validate(endpoint, example.Status, example.Body);
                Assert.True(errors.Count == 0, $"{endpoint.Name}/{example.Name} against {schema}:\n  " + string.Join("\n  ", errors));
                bodies++;
            }

            foreach (var error in contract.ErrorsFor(endpoint).Where(e => e.Body is not null && e.Model is not null))
            {
                var (errors, schema) = schemas.Validate(endpoint, error.Status, error.Body!);
                Assert.True(errors.Count == 0, $"{endpoint.Name} error {error.Status} against {schema}:\n  " + string.Join("\n  ", errors));
            }
        }

        Assert.True(bodies > 0, $"{contract.Name} documents no example body.");
    }

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public void The_WireMock_mappings_route_to_the_contracts_endpoints_and_serve_conforming_bodies(string file)
    {
        var contract = Read(file);
        var mappings = WireMockTranslator.Mappings(contract, new WireMockTranslationOptions { UseMockPrefix = true });
        Assert.NotEmpty(mappings);
        Assert.Equal(mappings.Count, mappings.Select(m => m.FileName).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(mappings.Count, mappings.Select(m => (string?)m.Mapping["id"]).Distinct(StringComparer.Ordinal).Count());
        var schemas = ResponseSchemas.For(contract, fx.ApiBaseAddress(contract.Name));
        var prefix = contract.Mock!.Prefix.TrimEnd('/');
        foreach (var (name, mapping) in mappings)
        {
            var endpoint = contract.FindEndpoint((string)mapping["metadata"]!["endpoint"]!);
            Assert.True(endpoint is not null, $"{name}: no endpoint {mapping["metadata"]}");
            var request = mapping["request"]!;
            Assert.Equal(endpoint!.Method, (string?)request["method"]);

            // The stub's URL is the endpoint's path under the mock prefix (a pattern where the path has parameters).
            var concrete = Regex.Replace(endpoint.Path, "{[^}]+}", "1");
            if ((string?)request["urlPath"] is { } urlPath)
            {
                Assert.Matches("^" + Regex.Replace(Regex.Escape(prefix + endpoint.Path).Replace(@"\{", "{", StringComparison.Ordinal), "{[^}/]+}", "[^/]+") + "$", urlPath);
            }
            else
            {
                Assert.Matches((string)request["urlPathPattern"]!, prefix + concrete);
            }

            var response = mapping["response"]!;
            var status = (int)response["status"]!;
            Assert.InRange(status, 200, 599);
            if ((string?)response["body"] is { } body)
            {
                Assert.NotNull(JsonNode.Parse(body));
                var (errors, schema) = schemas.Validate(endpoint, status, body);
                Assert.True(errors.Count == 0, $"{name} against {schema}:\n  " + string.Join("\n  ", errors));
            }
        }

        // Every documented example is served by a stub of its endpoint, verbatim.
        foreach (var endpoint in contract.Endpoints)
        {
            foreach (var example in endpoint.Examples.Where(e => e.Body is not null))
            {
                Assert.Contains(mappings, m => (string?)m.Mapping["metadata"]!["endpoint"] == endpoint.Name && (string?)m.Mapping["response"]!["body"] == example.Body && (int)m.Mapping["response"]!["status"]! == example.Status);
            }
        }
    }

    // ---- (e) exported ----

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public async Task A_checkpointed_export_delivers_the_mocks_listing_exactly_once_and_then_nothing(string file)
    {
        var contract = Read(file);
        var entry = EventsBindings.Clients.EventsContracts.Find(contract.Name);
        var synced = contract.Endpoints.Where(e => e.Sync is not null).ToList();
        Assert.Equal(synced.Count > 0, entry is not null);
        if (entry is null)
        {
            output.WriteLine($"{contract.Name} has no sync: the registry lists no export of it.");
            return;
        }

        var endpoint = contract.FindEndpoint(entry.Endpoint);
        Assert.True(endpoint?.Sync is not null, $"The registry exports {entry.Endpoint}, which has no sync in {file}.");

        // The mock's listing of the exported endpoint (every item it holds, default windows lifted), identified as the export identifies.
        var listing = (await fx.UniverseAsync(contract, endpoint!)).Select(i => entry.IdOf(i.GetRawText())).ToList();
        Assert.True(listing.Count > 0);
        Assert.Equal(listing.Count, listing.Distinct(StringComparer.Ordinal).Count());

        // A credential the exported endpoint accepts directly (no token exchange), under its own scheme.
        var credential = contract.Mock!.Credentials.First(c =>
            c.Access == CredentialAccess.Read && endpoint!.Security.Contains(c.Scheme) && contract.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken);
        var arguments = new EventsClientArguments(fx.ApiBaseAddress(contract.Name), new EventsKeyCredential(credential.Value), Configure: o =>
        {
            o.AuthScheme = credential.Scheme;
            o.Strictness = JsonStrictness.Strict;
        });
        var pageSize = (int)Math.Clamp((listing.Count / 7) + 1, entry.MinPageSize ?? 1, entry.MaxPageSize ?? int.MaxValue);
        entry.CheckPageSize(pageSize);

        var dir = Directory.CreateTempSubdirectory("eb-conformance-export-");
        try
        {
            var path = Path.Combine(dir.FullName, "events.ndjson");
            var checkpoints = new FileCheckpointStore(Path.Combine(dir.FullName, "export.checkpoint"));
            var first = await entry.CreateNdjsonExport(arguments, checkpoints, path, pageSize).RunOnceAsync();
            var lines = await File.ReadAllLinesAsync(path);
            var exported = lines.Select(entry.IdOf).ToList();

            var duplicates = exported.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            var gaps = listing.Except(exported, StringComparer.Ordinal).ToList();
            var extra = exported.Except(listing, StringComparer.Ordinal).ToList();
            output.WriteLine($"{contract.Name} {entry.Endpoint}: run 1 {first.Pages} pages of {pageSize}, {first.Delivered} delivered; listing {listing.Count}; {duplicates.Count} duplicates, {gaps.Count} gaps, {extra.Count} extra");
            Assert.True(duplicates.Count == 0, "duplicates " + string.Join(", ", duplicates.Take(10)));
            Assert.True(gaps.Count == 0, "missing " + string.Join(", ", gaps.Take(10)));
            Assert.True(extra.Count == 0, "not in the mock's listing " + string.Join(", ", extra.Take(10)));
            Assert.Equal(listing.Count, first.Delivered);
            Assert.Equal(0, first.Rejected);
            Assert.Empty(first.Drift);
            Assert.True(first.Pages >= 2, $"{first.Pages} pages: the export was not paged.");

            // A second run (a new client and export, as a new process would build them) resumes from the checkpoint: nothing new.
            var second = await entry.CreateNdjsonExport(arguments, checkpoints, path, pageSize).RunOnceAsync();
            output.WriteLine($"run 2: {second.Pages} pages, {second.Delivered} delivered");
            Assert.Equal(0, second.Delivered);
            Assert.Equal(lines, await File.ReadAllLinesAsync(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
