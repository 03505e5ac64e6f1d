using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Translation;

/// <summary>Options of the WireMock translation.</summary>
public sealed class WireMockTranslationOptions
{
    /// <summary>
    /// Mount each contract under its mock prefix (<c>mock.prefix</c>, such as <c>/adminbyrequest</c>), as the
    /// EventsBindings mock server does. Default false: paths as on the vendor's server.
    /// </summary>
    public bool UseMockPrefix { get; set; }

    /// <summary>
    /// An explicit path prefix for every stub of the contract (overrides <see cref="UseMockPrefix"/>), such as
    /// <c>/api</c>. For <see cref="ContractTranslations.WriteWireMock"/> only with <see cref="PerContract"/>.
    /// </summary>
    public string? PathPrefix { get; set; }

    /// <summary>
    /// For <see cref="ContractTranslations.WriteWireMock"/>: one WireMock root per contract,
    /// <c>&lt;out&gt;/&lt;contract&gt;/mappings</c>, with the vendor's paths (or <see cref="UseMockPrefix"/> /
    /// <see cref="PathPrefix"/>). Default false: one root for every contract, <c>&lt;out&gt;/mappings</c>,
    /// each contract under its mock prefix so that one WireMock serves them all.
    /// </summary>
    public bool PerContract { get; set; }
}

/// <summary>
/// Translates a contract into Java WireMock stub mappings (<c>mappings/*.json</c>): one stub per
/// documented example (method, path, query, verbatim body), a 401 stub for requests that carry none
/// of the accepted credentials, and a 404 stub for unknown ids of item endpoints.
/// </summary>
/// <remarks>
/// Priorities (lower wins): 1 the 401 stubs; 2 an example asked for by name with
/// <c>Prefer: example=&lt;name&gt;</c> (the convention Prism uses); 3 examples whose request has a
/// query; 4 examples on a concrete path; 5 and above the other examples of a path, in contract
/// order; 9 the 404 stubs.
/// </remarks>
public static class WireMockTranslator
{
    /// <summary>Priority of the 401 stubs.</summary>
    public const int UnauthorizedPriority = 1;

    /// <summary>Priority of the stubs chosen by <c>Prefer: example=&lt;name&gt;</c>.</summary>
    public const int PreferPriority = 2;

    /// <summary>Priority of the 404 stubs.</summary>
    public const int NotFoundPriority = 9;

    /// <summary>The stub mappings of a contract, each with its file name.</summary>
    public static IReadOnlyList<(string FileName, JsonObject Mapping)> Mappings(ContractSpec contract, WireMockTranslationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        options ??= new WireMockTranslationOptions();
        var prefix = (options.PathPrefix ?? (options.UseMockPrefix ? contract.Mock?.Prefix : null) ?? string.Empty).TrimEnd('/');
        if (prefix.Length > 0 && !prefix.StartsWith('/'))
        {
            prefix = "/" + prefix;
        }

        var result = new List<(string, JsonObject)>();
        var stem = JsonTypes.SafeFileName(contract.Name.ToLowerInvariant());
        foreach (var endpoint in contract.Endpoints)
        {
            var epStem = stem + "-" + JsonTypes.SafeFileName(endpoint.Name.ToLowerInvariant());
            var fallbackIndex = 0;
            foreach (var example in endpoint.Examples)
            {
                var path = example.RequestPath ?? endpoint.Path;
                var concrete = !path.Contains('{', StringComparison.Ordinal);
                var priority = example.RequestQuery.Count > 0 ? 3 : concrete && example.RequestPath is not null ? 4 : 5 + fallbackIndex++;
                var exStem = epStem + "-" + JsonTypes.SafeFileName(example.Name.ToLowerInvariant());

                var preferred = Stub(contract, endpoint, prefix, path, example.RequestQuery, PreferPriority, example.Status, example.Body, default, $"{contract.Name} {endpoint.Name}: example '{example.Name}' (Prefer: example={example.Name})");
                ((JsonObject)preferred["request"]!)["headers"] = new JsonObject { ["Prefer"] = new JsonObject { ["matches"] = "(.*[ ,;])?example=" + Regex.Escape(example.Name) + "([ ,;].*)?" } };
                result.Add((exStem + "-preferred.json", preferred));

                var stub = Stub(contract, endpoint, prefix, path, example.RequestQuery, priority, example.Status, example.Body, default, $"{contract.Name} {endpoint.Name}: example '{example.Name}'" + (example.Summary is null ? string.Empty : " - " + example.Summary));
                result.Add((exStem + ".json", stub));
            }

            var errors = contract.ErrorsFor(endpoint);
            if (endpoint.Security.Count > 0 && errors.FirstOrDefault(e => e.Status == 401) is { } unauthorized)
            {
                var stub = Stub(contract, endpoint, prefix, endpoint.Path, default, UnauthorizedPriority, 401, unauthorized.Body, unauthorized.Headers, $"{contract.Name} {endpoint.Name}: 401 without credentials");
                var headers = new JsonObject();
                foreach (var header in CredentialHeaders(contract, endpoint))
                {
                    headers[header] = new JsonObject { ["absent"] = true };
                }

                ((JsonObject)stub["request"]!)["headers"] = headers;
                result.Add((epStem + "-401.json", stub));
            }

            if (endpoint.Path.Contains('{', StringComparison.Ordinal) && errors.FirstOrDefault(e => e.Status == 404) is { } notFound)
            {
                var stub = Stub(contract, endpoint, prefix, endpoint.Path, default, NotFoundPriority, 404, notFound.Body, notFound.Headers, $"{contract.Name} {endpoint.Name}: 404 for any other id");
                result.Add((epStem + "-404.json", stub));
            }
        }

        return result;
    }

    /// <summary>Writes the mappings of a contract into <c>&lt;rootDir&gt;/mappings</c> (and creates <c>__files</c>).</summary>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(ContractSpec contract, string rootDir, WireMockTranslationOptions? options = null)
    {
        var mappings = Path.Combine(rootDir, "mappings");
        Directory.CreateDirectory(mappings);
        Directory.CreateDirectory(Path.Combine(rootDir, "__files"));
        var written = new List<string>();
        foreach (var (fileName, mapping) in Mappings(contract, options))
        {
            var path = Path.Combine(mappings, fileName);
            File.WriteAllText(path, JsonTypes.ToJson(mapping), new UTF8Encoding(false));
            written.Add(path);
        }

        return written;
    }

    /// <summary>The headers any accepted credential of an endpoint travels in (the 401 stub requires all of them absent).</summary>
    internal static IReadOnlyList<string> CredentialHeaders(ContractSpec contract, EndpointSpec endpoint)
    {
        var headers = new List<string>();
        foreach (var name in endpoint.Security)
        {
            var header = contract.FindScheme(name) is { Kind: AuthKind.ApiKey, Header: { } h } ? h : "Authorization";
            if (!headers.Contains(header, StringComparer.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        return headers;
    }

    private static JsonObject Stub(
        ContractSpec contract,
        EndpointSpec endpoint,
        string prefix,
        string path,
        EquatableArray<ParameterValue> query,
        int priority,
        int status,
        string? body,
        EquatableArray<HeaderValue> headers,
        string name)
    {
        var request = new JsonObject { ["method"] = endpoint.Method };
        if (path.Contains('{', StringComparison.Ordinal))
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(prefix + path).Replace(@"\{", "{", StringComparison.Ordinal), "{[^}/]+}", "[^/]+") + "$";
            request["urlPathPattern"] = pattern;
        }
        else
        {
            request["urlPath"] = prefix + path;
        }

        if (query.Count > 0)
        {
            var parameters = new JsonObject();
            foreach (var q in query)
            {
                parameters[q.Name] = new JsonObject { ["equalTo"] = q.Value };
            }

            request["queryParameters"] = parameters;
        }

        var responseHeaders = new JsonObject { ["Content-Type"] = "application/json" };
        foreach (var header in headers)
        {
            responseHeaders[header.Name] = header.Value;
        }

        var response = new JsonObject { ["status"] = status, ["headers"] = responseHeaders };
        if (body is not null)
        {
            response["body"] = body;
        }

        return new JsonObject
        {
            ["id"] = StableId(contract.Name + "\n" + name),
            ["name"] = name,
            ["priority"] = priority,
            ["request"] = request,
            ["response"] = response,
            ["metadata"] = new JsonObject { ["contract"] = contract.Name, ["endpoint"] = endpoint.Name, ["generator"] = "EventsBindings.Kit" },
        };
    }

    private static string StableId(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
