// One file of about 450 lines on purpose: one raw-socket client and the catalogue of hostile requests it sends; the catalogue is the point and reads best in one place.
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Reliability.Tests.Support;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using EventsBindings.Testing;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Reliability.Tests;

/// <summary>
/// Hostile requests to the mock server, over raw sockets so that nothing cleans them up: every parameter of
/// every endpoint with wrong types, overflowing values, empty and duplicated values, CR/LF and control
/// characters, invalid UTF-8, very long values; path traversal in ids; hostile credentials, fault headers
/// and admin bodies. Every answer is a 4xx; every answer the application gives has a JSON body; no 5xx;
/// the server stays up.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Hostile values, already in wire form (percent-encoded where a raw byte would break HTTP itself).</summary>
    private static readonly string[] Values =
    {
        "abc", "1.5", "true", "%5B%5D", "%7B%7D", "-", "null", "99999999999999999999999", "-99999999999999999999", "2147483648",
        "-2147483649", "9223372036854775808", "1e309", "NaN", "Infinity", "-0", "0x10", "%201", "1%20", "+1", "1,2,,3", ",", "%2C%2C",
        "%0D%0A", "%0D%0AX-Injected:%201", "%00", "%1B%5B31m", "%7F", "%FF%FE", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%E2%80%AE",
        "..%2F..%2Fetc%2Fpasswd", "2025-13-45", "9999-12-31", "0001-01-01", "2025-02-30", "10000-01-01", "-62135596800001",
        "253402300800000", "%25", "%", "%G1", "'%20OR%201=1--", "%3Cscript%3E", "asc", "ASC%00", "DESC%0A",
    };

    private static readonly string[] Ids =
    {
        "abc", "-1", "0", "99999999999999999999", "%00", "..%2F..%2F__admin%2Freset", "%2e%2e", "%2e%2e%2f%2e%2e%2f__admin", "1%0D%0A",
        "%FF", "1.5", "1e3", "%20", "%2F", "..%5C..%5C", "%252e%252e%252f", "~root", new string('9', 3000), "%C0%AE%C0%AE",
    };

    [Fact]
    public async Task Hostile_requests_get_4xx_with_json_bodies_and_never_5xx()
    {
        await using var host = await Mock.StartAsync(events: 300, seed: 11);
        var cases = Catalogue(host).ToList();
        var random = new Random(Profile.Seed);
        cases.AddRange(RandomCases(host, random, Profile.HostileRandomRequests));
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        int parserLevel = 0, applicationLevel = 0, accepted = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, _) =>
        {
            RawResponse? response;
            try
            {
                response = await RawHttp.SendAsync(host.BaseAddress, c.Request, RequestTimeout);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                failures.Enqueue($"{c.Name}: no answer ({ex.GetType().Name}: {ex.Message})");
                return;
            }

            if (response is null)
            {
                failures.Enqueue($"{c.Name}: the connection closed without a response");
                return;
            }

            statuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
            if (response.Status is >= 200 and < 300 && !c.MustReject)
            {
                // A value some reading of the contract accepts (an unknown key ignored, a string id): fine, if JSON.
                Interlocked.Increment(ref accepted);
                if (!IsJson(response))
                {
                    failures.Enqueue($"{c.Name}: status {response.Status} with a body that is not JSON: {Excerpt(response.Text)}");
                }

                return;
            }

            if (response.Status is < 400 or > 499)
            {
                failures.Enqueue($"{c.Name}: status {response.Status}: {Excerpt(response.Text)}");
                return;
            }

            if (response.Body.Length == 0 && c.MayBeRefusedByHttpParser)
            {
                // Kestrel refuses malformed HTTP (CR/LF in a header, a request line beyond 8 KB, headers beyond
                // 32 KB, raw invalid bytes) before any application code runs; its 400/414/431 carry no body.
                Interlocked.Increment(ref parserLevel);
                return;
            }

            Interlocked.Increment(ref applicationLevel);
            if (!response.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                failures.Enqueue($"{c.Name}: status {response.Status} with Content-Type '{response.ContentType}'");
                return;
            }

            try
            {
                using var doc = JsonDocument.Parse(response.Body);
            }
            catch (JsonException)
            {
                failures.Enqueue($"{c.Name}: status {response.Status} with a body that is not JSON: {Excerpt(response.Text)}");
            }
        });

        // Still up, still right.
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = RequestTimeout };
        var health = await http.GetAsync("__admin/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var api in host.Apis)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, api.SamplePath));
            Mock.Authorize(request, Mock.Credential(host, api.Name));
            var ok = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var journal = JsonDocument.Parse(await http.GetStringAsync("__admin/requests"));
        var journal5xx = journal.RootElement.GetProperty("requests").EnumerateArray().Count(r => r.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() >= 500);
        var figures = new Dictionary<string, object?>
        {
            ["requests"] = cases.Count,
            ["rejectedByApplication"] = applicationLevel,
            ["acceptedAsValid"] = accepted,
            ["mustRejectCases"] = cases.Count(c => c.MustReject),
            ["refusedByHttpParser"] = parserLevel,
            ["statuses"] = statuses.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
            ["fiveHundreds"] = statuses.Where(s => s.Key >= 500).Sum(s => s.Value),
            ["journal5xx"] = journal5xx,
            ["failures"] = failures.Count,
        };
        output.WriteLine(Figures.Record("hostile", figures));
        Assert.True(failures.IsEmpty, Profile.Replay + "\n" + string.Join("\n", failures.Take(25)));
        Assert.Equal(0, journal5xx);
    }

    [Fact]
    public async Task The_server_binds_loopback_unless_told_otherwise()
    {
        // The library host (what the xunit fixture and embedders use).
        Assert.Equal("127.0.0.1", new MockServerOptions().Host);
        await using (var host = await Mock.StartAsync(events: 10, seed: 1))
        {
            var listeners = ListenersOn(host.BaseAddress.Port);
            Assert.NotEmpty(listeners);
            Assert.All(listeners, l => Assert.True(IPAddress.IsLoopback(l.Address), $"The in-process mock listens on {l}."));
        }

        // The command line (`eventsbindings serve`), as a developer runs it: the sockets the operating system says the process listens on.
        using (var served = ChildProcess.StartDotnet(CliAssembly, new[] { "serve", "--port", "0", "--events", "10", "--no-reload" }))
        {
            var port = await ListeningPortAsync(served);
            var listeners = ListenersOn(port);
            Assert.NotEmpty(listeners);
            Assert.All(listeners, l => Assert.True(IPAddress.IsLoopback(l.Address), $"`serve` without --host listens on {l}."));
            if (ExternalAddress() is { } external)
            {
                var refused = await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => ConnectAsync(external, port));
                Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
            }
        }

        // The check can tell the difference: told otherwise, the server listens beyond loopback.
        using (var exposed = ChildProcess.StartDotnet(CliAssembly, new[] { "serve", "--port", "0", "--events", "10", "--no-reload", "--host", "0.0.0.0" }))
        {
            var port = await ListeningPortAsync(exposed);
            Assert.Contains(ListenersOn(port), l => !IPAddress.IsLoopback(l.Address));
            if (ExternalAddress() is { } external)
            {
                await ConnectAsync(external, port);
            }
        }
    }

    /// <summary>The command line's assembly (cli/EventsBindings.Cli), built beside this test project (a ProjectReference without the assembly).</summary>
    private static string CliAssembly => BuiltProgram.Locate(typeof(HostileRequestTests).Assembly, "CliDirectory", "EventsBindings.Cli.dll");

    /// <summary>The port in the server's banner ("listening on http://host:port/").</summary>
    private static async Task<int> ListeningPortAsync(ChildProcess server)
    {
        var waited = server.WaitForLineAsync(l => l.Contains("listening on ", StringComparison.Ordinal));
        var line = await waited.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(line is not null, "The mock server exited without listening:\n" + string.Join("\n", server.Lines));
        return new Uri(line![(line.IndexOf("listening on ", StringComparison.Ordinal) + "listening on ".Length)..].Trim()).Port;
    }

    /// <summary>The TCP listeners on <paramref name="port"/>, as the operating system reports them.</summary>
    private static List<IPEndPoint> ListenersOn(int port) =>
        System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => l.Port == port).ToList();

    /// <summary>An IPv4 address of this machine that is not loopback, if it has one.</summary>
    private static IPAddress? ExternalAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static async Task ConnectAsync(IPAddress address, int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(address, port, timeout.Token);
    }

    [Fact]
    public void Credentials_are_compared_in_constant_time()
    {
        // Static check of the one place the mock compares secrets: hashes compared with FixedTimeEquals,
        // never with ==, Equals, SequenceEqual or a dictionary lookup on the raw secret.
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "mockserver", "Auth", "CredentialStore.cs"));
        Assert.Contains("CryptographicOperations.FixedTimeEquals", source, StringComparison.Ordinal);
        Assert.DoesNotContain("SequenceEqual", source, StringComparison.Ordinal);
        foreach (var line in source.Split('\n').Where(l => l.Contains("secret", StringComparison.OrdinalIgnoreCase) || l.Contains(".Value", StringComparison.Ordinal)))
        {
            Assert.False(
                System.Text.RegularExpressions.Regex.IsMatch(line, @"(secret|token|presented)\w*\s*==|string\.Equals\([^)]*(secret|token|presented)", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
                "A secret compared with == or string.Equals: " + line.Trim());
        }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventsBindings.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (EventsBindings.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>A hostile request; <paramref name="MustReject"/> when no reading of the contract makes it valid.</summary>
    private sealed record HostileCase(string Name, byte[] Request, bool MayBeRefusedByHttpParser = false, bool MustReject = false);

    /// <summary>Values that no typed parameter (number, date, timestamp, enum, boolean) accepts.</summary>
    private static readonly HashSet<string> NeverValidTyped = new(StringComparer.Ordinal) { string.Empty, "abc", "%5B%5D", "%7B%7D", "%00", "%FF%FE", "%0D%0A", "%E2%80%AE", "%3Cscript%3E", "'%20OR%201=1--" };

    /// <remarks>Enums filtered by equality are open (an unknown value matches nothing, as vendors add values); only ordered or sort enums must be known.</remarks>
    private static bool MustReject(ParameterSpec p, string value) =>
        p.Type.Element.Kind is not (TypeKind.String or TypeKind.Json) && NeverValidTyped.Contains(value)
            && (p.Type.Element.Kind != TypeKind.Enum || p.Semantics.Kind is SemanticsKind.AtLeast or SemanticsKind.SortOrder)
        || (p.Type.Element.Kind is TypeKind.Int32 or TypeKind.Int64 && value is "99999999999999999999999" or "-99999999999999999999" or "1.5" or "9223372036854775808");

    /// <summary>Whether thousands of digits cannot be a value of the parameter (integers and epoch times overflow; dates and booleans are not digits).</summary>
    private static bool MustRejectLongDigits(ParameterSpec p) =>
        p.Type.Element.Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Timestamp or TypeKind.Date or TypeKind.Boolean;

    private static bool IsJson(RawResponse response)
    {
        if (!response.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Excerpt(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private static byte[] A(string s) => Encoding.UTF8.GetBytes(s);

    private static IEnumerable<(MockApiInfo Api, ContractSpec Contract, string Auth)> Apis(MockServerHost host)
    {
        foreach (var api in host.Apis)
        {
            var contract = ContractReader.ParseFile(Path.Combine(AppContext.BaseDirectory, "contracts", api.Prefix.Trim('/').Split('/')[0] + ".events.yaml")).Contract!;
            yield return (api, contract, Mock.HeaderLine(Mock.Credential(host, api.Name)));
        }
    }

    private static string PathOf(MockApiInfo api, EndpointSpec endpoint, string id) =>
        api.Prefix + System.Text.RegularExpressions.Regex.Replace(endpoint.Path, @"\{[^}]+\}", id);

    private static IEnumerable<HostileCase> Catalogue(MockServerHost host)
    {
        foreach (var (api, contract, auth) in Apis(host))
        {
            var authHeader = A(auth);
            foreach (var endpoint in contract.Endpoints)
            {
                var method = endpoint.Method;
                var sampleId = endpoint.Path.Contains('{', StringComparison.Ordinal) ? "1" : string.Empty;
                var path = PathOf(api, endpoint, sampleId);
                var name = $"{api.Name} {method} {endpoint.Path}";
                foreach (var p in endpoint.Parameters)
                {
                    foreach (var value in Values)
                    {
                        if (p.In == ParameterLocation.Path)
                        {
                            yield return new HostileCase($"{name} path {p.WireName}={value}", RawHttp.Build(method, A(PathOf(api, endpoint, value)), new[] { authHeader }), MayBeRefusedByHttpParser: value.Contains("%00", StringComparison.Ordinal), MustReject: MustReject(p, value));
                            continue;
                        }

                        if (p.In is ParameterLocation.Query or ParameterLocation.QueryOrHeader)
                        {
                            yield return new HostileCase($"{name} ?{p.WireName}={value}", RawHttp.Build(method, A($"{path}?{p.WireName}={value}"), new[] { authHeader }), MustReject: MustReject(p, value));
                        }

                        if (p.In is ParameterLocation.Header or ParameterLocation.QueryOrHeader)
                        {
                            // Header values as raw bytes: percent-decoding does not apply, so decode what HTTP allows.
                            var raw = Uri.UnescapeDataString(value.Replace("%0D", string.Empty, StringComparison.Ordinal).Replace("%0A", string.Empty, StringComparison.Ordinal));
                            yield return new HostileCase($"{name} header {p.WireName}: {value}", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": " + raw) }), MayBeRefusedByHttpParser: true, MustReject: MustReject(p, value) && value != "%0D%0A");
                        }
                    }

                    if (p.In is ParameterLocation.Query or ParameterLocation.QueryOrHeader)
                    {
                        // A parameter is given once (several values are joined with the contract's separator).
                        yield return new HostileCase($"{name} ?{p.WireName} duplicated", RawHttp.Build(method, A($"{path}?{p.WireName}=1&{p.WireName}=2"), new[] { authHeader }), MustReject: true);
                        yield return new HostileCase($"{name} ?{p.WireName} duplicated empty", RawHttp.Build(method, A($"{path}?{p.WireName}=&{p.WireName}="), new[] { authHeader }), MustReject: true);
                        yield return new HostileCase($"{name} ?{p.WireName} without =", RawHttp.Build(method, A($"{path}?{p.WireName}"), new[] { authHeader }), MustReject: MustReject(p, string.Empty));
                        yield return new HostileCase($"{name} ?{p.WireName} 6 KB", RawHttp.Build(method, A($"{path}?{p.WireName}={new string('7', 6_000)}"), new[] { authHeader }), MustReject: MustRejectLongDigits(p));
                        yield return new HostileCase($"{name} ?{p.WireName} 100 KB", RawHttp.Build(method, A($"{path}?{p.WireName}={new string('7', 100_000)}"), new[] { authHeader }), MayBeRefusedByHttpParser: true);
                        yield return new HostileCase($"{name} ?{p.WireName} raw CR LF", RawHttp.Build(method, A($"{path}?{p.WireName}=1\r\nX-Evil: 1"), new[] { authHeader }), MayBeRefusedByHttpParser: true);
                        yield return new HostileCase($"{name} ?{p.WireName} raw invalid UTF-8", RawHttp.Build(method, A($"{path}?{p.WireName}=").Concat(new byte[] { 0xFF, 0xC3, 0x28 }).ToArray(), new[] { authHeader }), MayBeRefusedByHttpParser: true);
                    }

                    if (p.In is ParameterLocation.Header or ParameterLocation.QueryOrHeader)
                    {
                        yield return new HostileCase($"{name} header {p.WireName} duplicated", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": 1"), A(p.WireName + ": 2") }), MustReject: true);
                        yield return new HostileCase($"{name} header {p.WireName} empty", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ":") }));
                        yield return new HostileCase($"{name} header {p.WireName} 20 KB", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": " + new string('8', 20_000)) }), MustReject: MustRejectLongDigits(p));
                        yield return new HostileCase($"{name} header {p.WireName} 40 KB", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": " + new string('8', 40_000)) }), MayBeRefusedByHttpParser: true);
                        yield return new HostileCase($"{name} header {p.WireName} raw CR", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": 1\r2") }), MayBeRefusedByHttpParser: true);
                        yield return new HostileCase($"{name} header {p.WireName} control bytes", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": 1\u0001\u007f") }), MayBeRefusedByHttpParser: true);
                        yield return new HostileCase($"{name} header {p.WireName} raw invalid UTF-8", RawHttp.Build(method, A(path), new[] { authHeader, A(p.WireName + ": ").Concat(new byte[] { 0xFF, 0xFE }).ToArray() }), MayBeRefusedByHttpParser: true);
                    }
                }

                if (endpoint.Path.Contains('{', StringComparison.Ordinal))
                {
                    foreach (var id in Ids)
                    {
                        yield return new HostileCase($"{name} id {id}", RawHttp.Build(method, A(PathOf(api, endpoint, id)), new[] { authHeader }), MayBeRefusedByHttpParser: id.Length > 2_000 || id.Contains("%00", StringComparison.Ordinal));
                    }

                    yield return new HostileCase($"{name} id with dot segments", RawHttp.Build(method, A(PathOf(api, endpoint, "../../../__admin/reset")), new[] { authHeader }));
                    yield return new HostileCase($"{name} id raw invalid UTF-8", RawHttp.Build(method, A(PathOf(api, endpoint, string.Empty)).Concat(new byte[] { 0xFF, 0xFE }).ToArray(), new[] { authHeader }), MayBeRefusedByHttpParser: true);
                }

                // Unknown, empty and strange query keys.
                foreach (var query in new[] { "?=1", "?&&&", "?%00=1", "?%FF=1", "?a[]=1&a[]=2", "?" + new string('q', 5_000) + "=1", "?x=%0D%0A" })
                {
                    yield return new HostileCase($"{name} query {query[..Math.Min(20, query.Length)]}", RawHttp.Build(method, A(path + query), new[] { authHeader }), MayBeRefusedByHttpParser: false);
                }

                // Methods the endpoint does not have.
                foreach (var other in new[] { "POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO" }.Where(m => m != method))
                {
                    yield return new HostileCase($"{name} method {other}", RawHttp.Build(other, A(path), new[] { authHeader }), MustReject: true);
                }

                // Hostile credentials.
                var header = contract.AuthSchemes.FirstOrDefault(s => s.Header is not null)?.Header ?? "X-Unused";
                foreach (var bad in new[]
                {
                    string.Empty, "Authorization: Bearer", "Authorization: Bearer ", "Authorization: Basic !!!notbase64", "Authorization: Basic " + Convert.ToBase64String(A("no-colon")),
                    "Authorization: Basic " + Convert.ToBase64String(A(":")), "Authorization: Bearer " + new string('t', 10_000), "Authorization: Negotiate abc", "Authorization: bearer wrong",
                    header + ":", header + ": wrong", header + ": " + new string('k', 10_000), header + ": é日本", "Authorization: Bearer \u00ff",
                })
                {
                    var headers = bad.Length == 0 ? Array.Empty<byte[]>() : new[] { A(bad) };
                    yield return new HostileCase($"{name} auth '{bad[..Math.Min(30, bad.Length)]}'", RawHttp.Build(method, A(path), headers), MayBeRefusedByHttpParser: bad.Contains('\u00ff', StringComparison.Ordinal), MustReject: true);
                }

                // Hostile fault requests.
                foreach (var fault in new[] { "abc", "999999", "delay=-1", "delay=99999999999", "delay=", "600", "99", "reset,boom", "," + new string('5', 1000) })
                {
                    yield return new HostileCase($"{name} fault '{fault[..Math.Min(20, fault.Length)]}'", RawHttp.Build(method, A(path), new[] { authHeader, A("X-Mock-Fault: " + fault) }), MustReject: true);
                }
            }

            // Nothing mounted, or traversal out of the prefix.
            yield return new HostileCase($"{api.Name} unknown path", RawHttp.Build("GET", A(api.Prefix + "/nothing/here"), new[] { A(auth) }));
            yield return new HostileCase($"{api.Name} encoded traversal", RawHttp.Build("GET", A(api.Prefix + "/%2e%2e/%2e%2e/etc/passwd"), new[] { A(auth) }));
        }

        yield return new HostileCase("root", RawHttp.Build("GET", A("/"), Array.Empty<byte[]>()));
        yield return new HostileCase("traversal to /etc/passwd", RawHttp.Build("GET", A("/../../../../etc/passwd"), Array.Empty<byte[]>()), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("encoded traversal at the root", RawHttp.Build("GET", A("/%2e%2e/%2e%2e/etc/passwd"), Array.Empty<byte[]>()));
        yield return new HostileCase("absolute-form target", RawHttp.Build("GET", A("http://evil.example/"), Array.Empty<byte[]>()), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("asterisk target", RawHttp.Build("GET", A("*"), Array.Empty<byte[]>()), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("NUL in the request line", RawHttp.Build("GET", A("/a\0b"), Array.Empty<byte[]>()), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("request line of 20 KB", RawHttp.Build("GET", A("/" + new string('a', 20_000)), Array.Empty<byte[]>()), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("header without colon", RawHttp.Build("GET", A("/"), new[] { A("NoColonHere") }), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("header name with space", RawHttp.Build("GET", A("/"), new[] { A("Bad Name: 1") }), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("obsolete line folding", RawHttp.Build("GET", A("/"), new[] { A("X-A: 1\r\n  folded") }), MayBeRefusedByHttpParser: true);
        yield return new HostileCase("chunked and content-length", RawHttp.Build("POST", A("/__admin/faults"), new[] { A("Transfer-Encoding: chunked"), A("Content-Length: 5") }, A("0\r\n\r\n")), MayBeRefusedByHttpParser: true);

        // Admin routes with hostile bodies (none of these may create anything).
        foreach (var body in new[] { "{", "null", "[]", "\"x\"", "{\"fault\":null}", "{\"fault\":\"\"}", "{\"fault\":\"boom\"}", "{\"fault\":123}", "{\"every\":\"x\"}", "{\"fault\":\"500\",\"every\":\"x\"}", "\u0000", "{\"fault\":\"delay=-5\"}", "{\"fault\":\"" + new string('9', 100_000) + "\"}" })
        {
            yield return new HostileCase($"admin faults body '{body[..Math.Min(20, body.Length)]}'", RawHttp.Build("POST", A("/__admin/faults"), Array.Empty<byte[]>(), A(body)), MustReject: true);
        }

        foreach (var body in new[] { "{", "{\"count\":-1}", "{\"count\":1000001}", "{\"count\":\"x\"}", "\"x\"" })
        {
            yield return new HostileCase($"admin data body '{body}'", RawHttp.Build("POST", A("/__admin/items/AdminByRequest"), Array.Empty<byte[]>(), A(body)), MustReject: true);
        }

        yield return new HostileCase("admin data unknown API", RawHttp.Build("POST", A("/__admin/items/..%2F..%2Fetc"), Array.Empty<byte[]>(), A("{\"count\":1}")));
        yield return new HostileCase("admin ratelimit bad JSON", RawHttp.Build("PUT", A("/__admin/ratelimit"), Array.Empty<byte[]>(), A("{")));
        yield return new HostileCase("admin unknown route", RawHttp.Build("GET", A("/__admin/..%2F..%2Fetc%2Fpasswd"), Array.Empty<byte[]>()));
        yield return new HostileCase("admin delete unknown rule", RawHttp.Build("DELETE", A("/__admin/faults/rule-999999"), Array.Empty<byte[]>()));
        yield return new HostileCase("admin find bad JSON", RawHttp.Build("POST", A("/__admin/requests/find"), Array.Empty<byte[]>(), A("[1")));
    }

    private static IEnumerable<HostileCase> RandomCases(MockServerHost host, Random random, int count)
    {
        var apis = Apis(host).ToList();
        for (var i = 0; i < count; i++)
        {
            var (api, contract, auth) = apis[random.Next(apis.Count)];
            var endpoint = contract.Endpoints[random.Next(contract.Endpoints.Count)];
            var query = new StringBuilder();
            var n = random.Next(1, 5);
            for (var k = 0; k < n; k++)
            {
                var queryable = endpoint.Parameters.Where(p => p.In is ParameterLocation.Query or ParameterLocation.QueryOrHeader).ToList();
                var name = queryable.Count > 0 && random.Next(4) > 0 ? queryable[random.Next(queryable.Count)].WireName : "x" + random.Next(100);
                query.Append(k == 0 ? '?' : '&').Append(name).Append('=').Append(Values[random.Next(Values.Length)]);
            }

            var id = Ids[random.Next(Ids.Length)];
            var path = PathOf(api, endpoint, id);
            var cut = id.Length > 2_000 || id.Contains("%00", StringComparison.Ordinal);
            yield return new HostileCase($"random #{i} {endpoint.Method} {path[..Math.Min(80, path.Length)]}{query}", RawHttp.Build(endpoint.Method, A(path + query), new[] { A(auth) }), MayBeRefusedByHttpParser: cut);
        }
    }
}
