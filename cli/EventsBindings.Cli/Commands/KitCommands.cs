using System.CommandLine;
using EventsBindings.Kit.Translation;
using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Cli.Commands;

/// <summary>
/// The kit's subcommands (registered by <see cref="EventsBindingsCommandLine"/>):
/// <c>verify</c> runs a contract's checks against a base URL; <c>translate openapi|wiremock|jsonschema</c>
/// writes the translations of the contracts.
/// </summary>
internal static class KitCommands
{
    /// <summary>The environment variable read for the credential when neither option gives one.</summary>
    public const string CredentialVariable = "EVENTSBINDINGS_CREDENTIAL";

    public static void Configure(RootCommand root)
    {
        root.Subcommands.Add(Verify());
        root.Subcommands.Add(Translate());
    }

    private static Option<DirectoryInfo?> ContractsOption() =>
        new("--contracts") { Description = "Directory of contract files (*.yaml) instead of the embedded ones." };

    private static Command Verify()
    {
        var contract = new Option<string?>("--contract") { Description = "The contract (API) name to verify: its top-level name (case-insensitive)." };
        var baseUrl = new Option<string?>("--base-url") { Description = "The API's base URL; endpoint paths are appended (for the mock: http://127.0.0.1:5080/<prefix>)." };
        var credential = new Option<string?>("--credential") { Description = "The credential (API key, token or refresh token). Prefer --credential-env or $" + CredentialVariable + " to keep it out of shell history." };
        var credentialEnv = new Option<string?>("--credential-env") { Description = "Name of an environment variable that holds the credential." };
        var scheme = new Option<string?>("--scheme") { Description = "The contract's auth scheme the credential belongs to (default: its first security entry); a refreshToken scheme is exchanged first." };
        var junit = new Option<FileInfo?>("--junit") { Description = "Also write the results as JUnit XML to this file." };
        var maxRequests = new Option<int>("--max-requests") { Description = "The most requests to send.", DefaultValueFactory = _ => 60 };
        var pace = new Option<int>("--pace-ms") { Description = "Milliseconds between requests (0 for the mock).", DefaultValueFactory = _ => 250 };
        var maxRetryAfter = new Option<int>("--max-retry-after") { Description = "The longest Retry-After (seconds) a 429 is waited out for before its one retry; longer, the 429 fails the check.", DefaultValueFactory = _ => 30 };
        var strict = new Option<bool>("--strict-drift") { Description = "Fail on drift clients tolerate (undeclared properties, unknown enum values) instead of warning." };
        var noNegative = new Option<bool>("--no-negative") { Description = "Do not send requests that must be refused (page size above maximum, no credential)." };
        var mock = new Option<bool>("--mock") { Description = "Start the mock server in-process and verify every contract (or --contract) against it with its demo credentials." };
        var contracts = ContractsOption();

        var command = new Command("verify", "Run a contract's read-only checks (defaults, paging, filters, bounds, auth, counts, items, drift) against a server.");
        foreach (var option in new Option[] { contract, baseUrl, credential, credentialEnv, scheme, junit, maxRequests, pace, maxRetryAfter, strict, noNegative, mock, contracts })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var loaded = LoadContracts(parse.GetValue(contracts), error);
            if (loaded is null)
            {
                return 2;
            }

            if (parse.GetValue(maxRequests) < 1)
            {
                error.WriteLine("--max-requests must be at least 1.");
                return 2;
            }

            var options = new VerifyOptions
            {
                MaxRequests = parse.GetValue(maxRequests),
                Pace = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(pace))),
                MaxRetryAfter = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(maxRetryAfter))),
                Scheme = parse.GetValue(scheme),
                FailOnDrift = parse.GetValue(strict),
                NegativeChecks = !parse.GetValue(noNegative),
            };
            var name = parse.GetValue(contract);
            var selected = name is null ? loaded : loaded.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (selected.Count == 0)
            {
                error.WriteLine($"No contract named '{name}'. Known: {string.Join(", ", loaded.Select(c => c.Name))}.");
                return 2;
            }

            var reports = new List<VerifyReport>();
            if (parse.GetValue(mock))
            {
                await using var host = new MockServerHost(new MockServerOptions { Port = 0, ContractsDirectory = parse.GetValue(contracts)?.FullName, HotReload = false });
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                options.Pace = parse.GetResult(pace) is null ? TimeSpan.Zero : options.Pace;
                foreach (var c in selected)
                {
                    var api = host.Apis.FirstOrDefault(a => a.Name == c.Name);
                    var wanted = options.Scheme ?? (c.Security.Count > 0 ? c.Security[0] : null);
                    var demo = api?.Credentials.FirstOrDefault(x => x.CanRead && x.Scheme == wanted);
                    if (api is null || demo is null)
                    {
                        error.WriteLine($"{c.Name}: the mock serves no readable demo credential of scheme '{wanted}'.");
                        return 2;
                    }

                    reports.Add(await ContractVerifier.RunAsync(c, new Uri(api.BaseAddress.ToString().TrimEnd('/')), demo.Value, options, cancellationToken).ConfigureAwait(false));
                }
            }
            else
            {
                if (selected.Count != 1 || name is null)
                {
                    error.WriteLine("verify needs --contract <name> (or --mock to check every contract against the in-process mock server).");
                    return 2;
                }

                if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    error.WriteLine("verify needs --base-url <absolute http(s) URL>.");
                    return 2;
                }

                var envName = parse.GetValue(credentialEnv);
                var secret = parse.GetValue(credential)
                    ?? (envName is null ? null : Environment.GetEnvironmentVariable(envName))
                    ?? Environment.GetEnvironmentVariable(CredentialVariable);
                if (string.IsNullOrEmpty(secret))
                {
                    error.WriteLine($"verify needs a credential: --credential <value>, --credential-env <VARIABLE> or ${CredentialVariable}.");
                    return 2;
                }

                reports.Add(await ContractVerifier.RunAsync(selected[0], url, secret, options, cancellationToken).ConfigureAwait(false));
            }

            foreach (var report in reports)
            {
                report.WriteTable(output);
                output.WriteLine();
            }

            if (parse.GetValue(junit) is { } file)
            {
                Directory.CreateDirectory(file.DirectoryName ?? ".");
                await using var stream = file.Create();
                VerifyReport.WriteJUnit(stream, reports);
                output.WriteLine($"JUnit XML: {file.FullName}");
            }

            return reports.All(r => r.Succeeded) ? 0 : 1;
        });
        return command;
    }

    private static Command Translate()
    {
        var translate = new Command("translate", "Translate the contracts: OpenAPI 3.1, WireMock stub mappings, JSON Schema.");

        Command Sub(string name, string description, Func<IReadOnlyList<ContractSpec>, string, ParseResult, IReadOnlyList<string>> write, params Option[] extra)
        {
            var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output directory (created when missing).", Required = true };
            var contract = new Option<string[]>("--contract") { Description = "Only these contracts (names, case-insensitive). Repeatable." };
            var contracts = ContractsOption();
            var command = new Command(name, description);
            foreach (var option in new Option[] { outDir, contract, contracts }.Concat(extra))
            {
                command.Options.Add(option);
            }

            command.SetAction(parse =>
            {
                var output = parse.InvocationConfiguration.Output;
                var error = parse.InvocationConfiguration.Error;
                var loaded = LoadContracts(parse.GetValue(contracts), error);
                if (loaded is null)
                {
                    return 2;
                }

                var names = parse.GetValue(contract) ?? Array.Empty<string>();
                var unknown = names.Where(n => !loaded.Any(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
                var selected = names.Length == 0 ? loaded : loaded.Where(c => names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
                if (unknown.Count > 0 || selected.Count == 0)
                {
                    error.WriteLine($"No contract named {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Known: {string.Join(", ", loaded.Select(c => c.Name))}.");
                    return 2;
                }

                IReadOnlyList<string> written;
                try
                {
                    written = write(selected, parse.GetValue(outDir)!.FullName, parse);
                }
                catch (ArgumentException ex)
                {
                    error.WriteLine(ex.Message);
                    return 2;
                }

                foreach (var path in written)
                {
                    output.WriteLine(path);
                }

                error.WriteLine($"{written.Count} files written.");
                return 0;
            });
            return command;
        }

        var mockUrl = new Option<string?>("--mock-url") { Description = "Add the mock server at this base URL (plus each contract's mock prefix) as an extra server, e.g. http://127.0.0.1:5080." };
        translate.Subcommands.Add(Sub("openapi", "Write <out>/<contract>.openapi.json (OpenAPI 3.1).", (c, dir, parse) => ContractTranslations.WriteOpenApi(c, dir, MockUrl(parse.GetValue(mockUrl))), mockUrl));

        var perContract = new Option<bool>("--per-contract") { Description = "One WireMock root per contract, <out>/<contract>/mappings/*.json, with the vendor's paths, instead of one root for all under the mock prefixes." };
        var prefix = new Option<bool>("--mock-prefix") { Description = "With --per-contract: mount each contract's stubs under its mock prefix instead of the vendor's paths." };
        var pathPrefix = new Option<string?>("--path-prefix") { Description = "With --per-contract: mount each contract's stubs under this path prefix instead of the vendor's paths." };
        translate.Subcommands.Add(Sub(
            "wiremock",
            "Write WireMock (Java) stub mappings: <out>/mappings/<contract>-*.json, each contract under its mock prefix (one WireMock serves every API); or <out>/<contract>/mappings/*.json with --per-contract.",
            (c, dir, parse) => ContractTranslations.WriteWireMock(c, dir, WireMockOptions(parse.GetValue(perContract), parse.GetValue(prefix), parse.GetValue(pathPrefix))),
            perContract,
            prefix,
            pathPrefix));

        translate.Subcommands.Add(Sub("jsonschema", "Write JSON Schemas (draft-07): <out>/<Contract>/<Model>.schema.json and <Endpoint>.response.schema.json.", (c, dir, _) => ContractTranslations.WriteJsonSchema(c, dir)));
        return translate;
    }

    /// <summary>
    /// The WireMock layout asked for. <c>--mock-prefix</c> and <c>--path-prefix</c> choose the paths inside a
    /// per-contract root; the one shared root already mounts each contract under its own mock prefix, and
    /// one prefix for every contract there would make their paths (two <c>/events</c>) collide.
    /// </summary>
    private static WireMockTranslationOptions WireMockOptions(bool perContract, bool mockPrefix, string? pathPrefix)
    {
        if (!perContract && mockPrefix)
        {
            throw new ArgumentException("--mock-prefix needs --per-contract: without it every contract already goes under its mock prefix in one WireMock root.");
        }

        if (!perContract && pathPrefix is not null)
        {
            throw new ArgumentException("--path-prefix needs --per-contract: in the one WireMock root every contract would go under the same prefix and their paths (such as two /events) would collide.");
        }

        if (mockPrefix && pathPrefix is not null)
        {
            throw new ArgumentException("--mock-prefix and --path-prefix exclude each other: each chooses the prefix of the stubs' paths.");
        }

        return new WireMockTranslationOptions { PerContract = perContract, UseMockPrefix = mockPrefix, PathPrefix = pathPrefix };
    }

    private static Uri? MockUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new ArgumentException($"--mock-url: '{text}' is not an absolute URL.");
        }

        return url;
    }

    /// <summary>The contracts of a directory, or the embedded ones; null (after printing the diagnostics) when one has errors.</summary>
    private static List<ContractSpec>? LoadContracts(DirectoryInfo? directory, TextWriter error)
    {
        var results = new List<ContractParseResult>();
        if (directory is not null)
        {
            if (!directory.Exists)
            {
                error.WriteLine($"No such directory: {directory.FullName}");
                return null;
            }

            foreach (var file in directory.EnumerateFiles("*.yaml").OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                results.Add(ContractReader.ParseFile(file.FullName));
            }
        }
        else
        {
            foreach (var (name, text) in MockServerHost.EmbeddedContracts().Where(e => e.Key.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                results.Add(ContractReader.Parse(text, "embedded:" + name));
            }
        }

        var failed = false;
        foreach (var result in results)
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                error.WriteLine(diagnostic.ToString());
            }

            failed |= !result.Success;
        }

        return failed ? null : results.Select(r => r.Contract!).ToList();
    }
}
