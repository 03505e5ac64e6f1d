using EventsBindings.Generator.Model;
using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Emitter;

internal static partial class ContractEmitter
{
    private const string CancellationToken = "global::System.Threading.CancellationToken";

    private static void EmitClient(SourceWriter w, ContractEmit contract)
    {
        var client = contract.ClientName;
        var options = client + "Options";
        var server = contract.ApiName + "Server";
        w.Indent();

        // Servers.
        w.Line($"/// <summary>The documented base URLs of the {SourceLiterals.Xml(contract.Title)}. Any other base URL can be passed to the client.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public enum {server}");
        foreach (var s in contract.Servers)
        {
            w.Summary(s.Description, s.Url);
            w.Line($"{s.Name},");
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>Base URLs of the <see cref=\"{server}\"/> values.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public static class {server}s");
        w.Line("/// <summary>The server used when none is chosen.</summary>");
        w.Line($"public const {server} Default = {server}.{contract.Servers.First(s => s.IsDefault).Name};");
        w.Line();
        var templated = contract.Servers.Any(s => s.Variables.Count > 0);
        if (!templated)
        {
            w.Line("/// <summary>The base URL of a server.</summary>");
            w.Line("/// <param name=\"server\">The server.</param>");
            w.Line("/// <returns>Its absolute base URL.</returns>");
            w.Open($"public static global::System.Uri GetUri({server} server) => server switch");
            foreach (var s in contract.Servers)
            {
                w.Line($"{server}.{s.Name} => new global::System.Uri({SourceLiterals.Quote(s.Url)}),");
            }

            w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(server), server, null),");
            w.Close(";");
        }
        else
        {
            EmitServerTemplates(w, contract, server);
        }

        w.Close();
        w.Line();

        // Auth scheme names.
        w.Line($"/// <summary>The auth schemes of the {SourceLiterals.Xml(contract.Title)}, for <see cref=\"{Runtime}.EventsClientOptions.AuthScheme\"/>.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public static class {contract.ApiName}AuthSchemes");
        foreach (var s in contract.Schemes)
        {
            w.Summary(s.Description, s.Kind);
            w.Line($"public const string {EventsBindings.Spec.Parsing.Names.ToPascalCase(s.Name)} = {SourceLiterals.Quote(s.Name)};");
        }

        w.Close();
        w.Line();

        // Options.
        w.Line($"/// <summary>Options of the <see cref=\"{client}\"/>: server, retries, timeouts, logging.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public sealed partial class {options} : {Runtime}.EventsClientOptions");
        w.Line("/// <summary>The documented server to use when no endpoint is given.</summary>");
        w.Line($"public {server} Server {{ get; set; }} = {server}s.Default;");
        w.Line();
        w.Line("/// <summary>A base URL that overrides <see cref=\"Server\"/> (another data center, an own domain, a mock server).</summary>");
        w.Line("public global::System.Uri? Endpoint { get; set; }");
        w.Line();
        if (templated)
        {
            w.Line("/// <summary>");
            w.Line($"/// Values of the variables of the chosen <see cref=\"Server\"/>'s URL template, by variable name; a variable left out takes its default (see <see cref=\"{server}s\"/>).");
            w.Line("/// </summary>");
            w.Line("public global::System.Collections.Generic.IDictionary<string, string?> ServerVariables { get; } = new global::System.Collections.Generic.Dictionary<string, string?>(global::System.StringComparer.Ordinal);");
            w.Line();
            w.Line("/// <summary>The base URL the client will use.</summary>");
            w.Line("/// <returns>The endpoint, else the chosen server's URL with its variables filled.</returns>");
            w.Line("/// <exception cref=\"global::System.InvalidOperationException\">A variable of the server's URL has neither a value nor a default.</exception>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A variable's value is not allowed (the exception names the variable).</exception>");
            w.Line($"public global::System.Uri ResolveEndpoint() => Endpoint ?? {server}s.GetUri(Server, ServerVariables);");
        }
        else
        {
            w.Line("/// <summary>The base URL the client will use.</summary>");
            w.Line($"public global::System.Uri ResolveEndpoint() => Endpoint ?? {server}s.GetUri(Server);");
        }

        w.Close();
        w.Line();

        // Client.
        w.Summary(contract.Description, $"Client of the {contract.Title}.");
        w.Line($"/// <remarks>Generated from the contract '{SourceLiterals.Xml(contract.HintPrefix)}'{(contract.Docs is null ? string.Empty : $"; vendor documentation: {SourceLiterals.Xml(contract.Docs)}")}. Methods are virtual so that tests can mock the client.</remarks>");
        w.Line(GeneratedCode);
        w.Open($"public partial class {client}");
        w.Line($"private static readonly global::System.Lazy<global::System.Net.Http.HttpClient> SharedHttpClient = new(static () => new global::System.Net.Http.HttpClient(new global::System.Net.Http.SocketsHttpHandler {{ PooledConnectionLifetime = global::System.TimeSpan.FromMinutes(5) }}) {{ Timeout = global::System.Threading.Timeout.InfiniteTimeSpan }});");
        w.Line();
        w.Line($"/// <summary>What the runtime needs to know of this API: auth schemes and error meanings, from the contract.</summary>");
        w.Line($"/// <remarks>Plumbing between the generated code and the runtime (tools may read it); hidden from IntelliSense.</remarks>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Line($"public static {Runtime}.Infrastructure.ApiDescriptor Api {{ get; }} = new(");
        w.Indent();
        w.Line($"{SourceLiterals.Quote(contract.ApiName)},");
        w.Open($"new {Runtime}.Infrastructure.AuthSchemeDescriptor[]");
        foreach (var s in contract.Schemes)
        {
            w.Line($"new({SourceLiterals.Quote(s.Name)}, {Runtime}.Infrastructure.AuthSchemeKind.{s.Kind}, {Nullable(s.Header)}, {Nullable(s.ExchangePath)}, {Nullable(s.TokenField)}{(s.AuthorizationScheme is null ? string.Empty : ", " + SourceLiterals.Quote(s.AuthorizationScheme))}),");
        }

        w.Close(",");
        w.Open($"new {Runtime}.Infrastructure.ErrorDescriptor[]");
        foreach (var e in contract.Errors)
        {
            w.Line($"new({e.Status}, {SourceLiterals.Quote(e.Meaning)}),");
        }

        if (contract.RateLimit is { } rateLimit)
        {
            w.Close(")");
            w.Outdent();
            w.Line("{");
            w.Line($"    RateLimit = new {Runtime}.Infrastructure.RateLimitDescriptor({Nullable(rateLimit.Limit)}, {Nullable(rateLimit.Remaining)}, {SourceLiterals.Quote(rateLimit.Reset)}, {Runtime}.Infrastructure.RateLimitResetKind.{rateLimit.ResetKind}),");
            w.Line("};");
        }
        else
        {
            w.Close(");");
            w.Outdent();
        }
        w.Line();
        w.Line($"private readonly {Runtime}.Infrastructure.EventsPipeline _pipeline;");
        w.Line();
        w.Line("/// <summary>For mocking: a client that has no pipeline. Every method must be overridden.</summary>");
        w.Open($"protected {client}()");
        w.Line("_pipeline = null!;");
        w.Line("Endpoint = null!;");
        w.Close();
        w.Line();
        w.Line("/// <summary>Creates a client for the server chosen in the options (or the default one).</summary>");
        w.Line("/// <param name=\"credential\">The credential; read on every request, so it may rotate.</param>");
        w.Line("/// <param name=\"options\">Options, or null for the defaults.</param>");
        w.Line($"public {client}({Runtime}.EventsCredential credential, {options}? options = null)");
        w.Line($"    : this(SharedHttpClient.Value, (options ?? new {options}()).ResolveEndpoint(), credential, options)");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>Creates a client for a base URL.</summary>");
        w.Line("/// <param name=\"endpoint\">The base URL (endpoint paths are appended to it).</param>");
        w.Line("/// <param name=\"credential\">The credential; read on every request, so it may rotate.</param>");
        w.Line("/// <param name=\"options\">Options, or null for the defaults.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"options\"/> names another base URL in its Endpoint.</exception>");
        w.Line($"public {client}(global::System.Uri endpoint, {Runtime}.EventsCredential credential, {options}? options = null)");
        w.Line("    : this(SharedHttpClient.Value, endpoint, credential, options)");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>Creates a client on a given <see cref=\"global::System.Net.Http.HttpClient\"/> (for IHttpClientFactory).</summary>");
        w.Line("/// <param name=\"httpClient\">The HTTP client; its lifetime stays with the caller.</param>");
        w.Line("/// <param name=\"endpoint\">The base URL (endpoint paths are appended to it).</param>");
        w.Line("/// <param name=\"credential\">The credential; read on every request, so it may rotate.</param>");
        w.Line("/// <param name=\"options\">Options, or null for the defaults.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"options\"/> names another base URL in its Endpoint.</exception>");
        w.Open($"public {client}(global::System.Net.Http.HttpClient httpClient, global::System.Uri endpoint, {Runtime}.EventsCredential credential, {options}? options = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(httpClient);");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(endpoint);");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(credential);");
        // One source for the base URL: an options.Endpoint that names another one is an error, never silently ignored.
        w.Open("if (options?.Endpoint is { } configured && configured != endpoint)");
        w.Line("throw new global::System.ArgumentException($\"The base URL is given twice and differently: {endpoint} here and {configured} in options.Endpoint. Give it once.\", nameof(options));");
        w.Close();
        w.Line();
        w.Line("Endpoint = endpoint;");
        w.Line($"_pipeline = new {Runtime}.Infrastructure.EventsPipeline(httpClient, endpoint, credential, Api, options ?? new {options}());");
        w.Close();
        w.Line();
        w.Line("/// <summary>The base URL this client calls.</summary>");
        w.Line("public virtual global::System.Uri Endpoint { get; }");

        foreach (var endpoint in contract.Endpoints)
        {
            EmitEndpoint(w, endpoint);
        }

        w.Close();
        w.Outdent();
    }

    private static void EmitServerTemplates(SourceWriter w, ContractEmit contract, string server)
    {
        foreach (var s in contract.Servers.Where(s => s.Variables.Count > 0))
        {
            w.Open($"private static readonly {Runtime}.ServerVariableDescriptor[] {VariablesField(s)} = new {Runtime}.ServerVariableDescriptor[]");
            foreach (var v in s.Variables)
            {
                var allowed = v.Allowed.Count == 0 ? "null" : "new string[] { " + string.Join(", ", v.Allowed.Select(SourceLiterals.Quote)) + " }";
                w.Line($"new({SourceLiterals.Quote(v.Name)}, {Nullable(v.Default)}, {Nullable(v.Description)}, {allowed}),");
            }

            w.Close(";");
            w.Line();
        }

        w.Line("/// <summary>The base URL of a server, with the defaults of its variables.</summary>");
        w.Line("/// <param name=\"server\">The server.</param>");
        w.Line("/// <returns>Its absolute base URL.</returns>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">A variable of the server's URL has no default.</exception>");
        w.Line($"public static global::System.Uri GetUri({server} server) => GetUri(server, null);");
        w.Line();
        w.Line("/// <summary>The base URL of a server, with its variables filled from <paramref name=\"variables\"/> (or their defaults).</summary>");
        w.Line("/// <param name=\"server\">The server.</param>");
        w.Line("/// <param name=\"variables\">Values by variable name; null or a missing name for the default.</param>");
        w.Line("/// <returns>Its absolute base URL.</returns>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">A variable has neither a value nor a default.</exception>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A value is not allowed (the exception names the variable), or names no variable of the server.</exception>");
        w.Open($"public static global::System.Uri GetUri({server} server, global::System.Collections.Generic.IEnumerable<global::System.Collections.Generic.KeyValuePair<string, string?>>? variables) => server switch");
        foreach (var s in contract.Servers)
        {
            w.Line(s.Variables.Count == 0
                ? $"{server}.{s.Name} => new global::System.Uri({SourceLiterals.Quote(s.Url)}),"
                : $"{server}.{s.Name} => {Runtime}.ServerUrl.Fill({SourceLiterals.Quote(s.Name)}, {SourceLiterals.Quote(s.Url)}, {VariablesField(s)}, variables),");
        }

        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(server), server, null),");
        w.Close(";");
        foreach (var s in contract.Servers.Where(s => s.Variables.Count > 0))
        {
            // Required variables first, then the ones with a default (optional arguments).
            var ordered = s.Variables.Where(v => v.Default is null).Concat(s.Variables.Where(v => v.Default is not null)).ToList();
            w.Line();
            w.Line($"/// <summary>The base URL of the server {SourceLiterals.Xml(s.Name)} (<c>{SourceLiterals.Xml(s.Url)}</c>) with its variables filled{(s.Description is null ? "" : ": " + SourceLiterals.Xml(s.Description.TrimEnd('.')))}.</summary>");
            foreach (var v in ordered)
            {
                var text = v.Description is null ? $"The value of <c>{{{SourceLiterals.Xml(v.Name)}}}</c>" : SourceLiterals.Xml(v.Description.TrimEnd('.'));
                if (v.Allowed.Count > 0)
                {
                    text += "; one of " + string.Join(", ", v.Allowed.Select(a => "<c>" + SourceLiterals.Xml(a) + "</c>"));
                }

                text += v.Default is null ? "; required" : $"; null for the default <c>{SourceLiterals.Xml(v.Default)}</c>";
                w.Line($"/// <param name=\"{v.Name}\">{text}.</param>");
            }

            w.Line("/// <returns>The absolute base URL, for <c>Endpoint</c> of the options or the client's constructor.</returns>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A value is empty, holds '/', '?', '#', '@', '\\', '%' or whitespace, or is not an allowed value (the exception names the variable).</exception>");
            var parameters = string.Join(", ", ordered.Select(v => v.Default is null ? $"string {v.Name}" : $"string? {v.Name} = null"));
            w.Open($"public static global::System.Uri {s.Name}({parameters})");
            foreach (var v in ordered.Where(v => v.Default is null))
            {
                w.Line($"global::System.ArgumentNullException.ThrowIfNull({v.Name});");
            }

            w.Line($"return {Runtime}.ServerUrl.Fill(");
            w.Indent();
            w.Line($"{SourceLiterals.Quote(s.Name)},");
            w.Line($"{SourceLiterals.Quote(s.Url)},");
            w.Line($"{VariablesField(s)},");
            w.Open("new global::System.Collections.Generic.KeyValuePair<string, string?>[]");
            foreach (var v in s.Variables)
            {
                w.Line($"new({SourceLiterals.Quote(v.Name)}, {v.Name}),");
            }

            w.Close(");");
            w.Outdent();
            w.Close();
        }
    }

    private static string VariablesField(ServerEmit server) => "_variablesOf" + server.Name;

    private static string Nullable(string? value) => value is null ? "null" : SourceLiterals.Quote(value);

    private static void EmitEndpoint(SourceWriter w, EndpointEmit e)
    {
        var query = e.QueryTypeName;
        var pathArgs = string.Join(string.Empty, e.PathParameters.Select(p => $"{p.ElementType} {p.ArgumentName}, "));
        var pathArgNames = string.Join(string.Empty, e.PathParameters.Select(p => p.ArgumentName + ", "));
        var hasQuery = e.QueryParameters.Count > 0;
        var queryArg = hasQuery ? $"{query}? query = null, " : string.Empty;
        var operation = $"<c>{SourceLiterals.Xml(e.Method)} {SourceLiterals.Xml(e.Path)}</c>";
        var summary = SourceLiterals.Xml(e.Summary ?? e.Name).TrimEnd('.');

        void PathDocs()
        {
            foreach (var p in e.PathParameters)
            {
                w.Line($"/// <param name=\"{p.ArgumentName.TrimStart('@')}\">{SourceLiterals.Xml(p.Description ?? p.WireName)}</param>");
            }
        }

        void QueryDoc()
        {
            if (hasQuery)
            {
                w.Line("/// <param name=\"query\">Filters and options; null for the server's defaults.</param>");
            }
        }

        // The one method that sends a request for this endpoint.
        var resultType = e.Kind switch
        {
            ResponseKind.List => $"global::System.Collections.Generic.IReadOnlyList<{e.ModelName}>",
            ResponseKind.Count => "long",
            _ => e.ModelName!,
        };
        var parse = e.Kind switch
        {
            ResponseKind.List => $"static body => {Runtime}.Json.JsonPayload.ReadList<{e.ModelName}>(body, {Nullable(e.Envelope)}, {e.ModelName}.ReadJson)",
            ResponseKind.Count => $"static body => {Runtime}.Json.JsonPayload.ReadCount(body, {Nullable(e.Envelope)})",
            _ => $"static body => {Runtime}.Json.JsonPayload.ReadItem<{e.ModelName}>(body, {Nullable(e.Envelope)}, {e.ModelName}.ReadJson)",
        };

        if (e.Errors.Count > 0)
        {
            w.Line();
            w.Line($"private static readonly {Runtime}.Infrastructure.ErrorDescriptor[] {e.Name}Errors =");
            w.Line("{");
            foreach (var error in e.Errors)
            {
                w.Line($"    new({error.Status}, {SourceLiterals.Quote(error.Meaning)}),");
            }

            w.Line("};");
        }

        w.Line();
        w.Line($"private global::System.Threading.Tasks.Task<{Runtime}.EventsResponse<{resultType}>> Send{e.Name}Async({pathArgs}{(hasQuery ? query + "? query, " : string.Empty)}{CancellationToken} cancellationToken)");
        w.Line("{");
        w.Indent();
        EmitNewRequest(w, e, hasQuery);

        w.Line($"return _pipeline.SendAsync<{resultType}>(request, {parse}, cancellationToken);");
        w.Outdent();
        w.Line("}");
        if (e.Kind == ResponseKind.List && e.Paging is PagingEmit.NextLink link)
        {
            EmitSendPage(w, e, link, pathArgs, hasQuery ? query + "? query, " : string.Empty, hasQuery, parse);
        }

        switch (e.Kind)
        {
            case ResponseKind.List:
                EmitListMethods(w, e, pathArgs, pathArgNames, queryArg, operation, summary, PathDocs, QueryDoc);
                break;
            case ResponseKind.Count:
                w.Line();
                w.Line($"/// <summary>{summary} ({operation}).</summary>");
                PathDocs();
                QueryDoc();
                w.Line("/// <param name=\"cancellationToken\">Cancels the request.</param>");
                w.Line("/// <returns>The count the server reports (converts to <c>long</c>), with the raw response.</returns>");
                w.Line($"public virtual global::System.Threading.Tasks.Task<{Runtime}.EventsResponse<long>> Get{e.Name}Async({pathArgs}{queryArg}{CancellationToken} cancellationToken = default)");
                w.Line($"    => Send{e.Name}Async({pathArgNames}{(hasQuery ? "query, " : string.Empty)}cancellationToken);");
                break;
            default:
                w.Line();
                w.Line($"/// <summary>{summary} ({operation}).</summary>");
                PathDocs();
                QueryDoc();
                w.Line("/// <param name=\"cancellationToken\">Cancels the request.</param>");
                w.Line($"/// <returns>The {SourceLiterals.Xml(e.ModelName)} (converts to it), with the raw response.</returns>");
                w.Line($"/// <exception cref=\"{Runtime}.EventsRequestException\">The server answered with an error (404 when it does not exist).</exception>");
                w.Line($"public virtual global::System.Threading.Tasks.Task<{Runtime}.EventsResponse<{e.ModelName}>> {(e.Method == "GET" ? "Get" : string.Empty)}{e.Name}Async({pathArgs}{queryArg}{CancellationToken} cancellationToken = default)");
                w.Line($"    => Send{e.Name}Async({pathArgNames}{(hasQuery ? "query, " : string.Empty)}cancellationToken);");
                break;
        }
    }

    private static string Pascal(string method) => method.Substring(0, 1) + method.Substring(1).ToLowerInvariant();
}
