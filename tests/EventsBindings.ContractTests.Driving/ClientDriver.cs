using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.ContractTests.Driving;

/// <summary>One page as the client returned it: its items (as JSON, written by the generated writers) and its token.</summary>
public sealed record ClientPage(IReadOnlyList<JsonElement> Items, string? ContinuationToken);

/// <summary>
/// Drives the generated client of a contract by reflection, from the contract alone: the client type is
/// <c>{namespace}.{name}Client</c>, an endpoint's query type <c>{endpoint}Query</c> with properties named by
/// the parameters' C# names, its methods <c>Get{endpoint}Async</c> (for lists a pageable, whose <c>AsPages</c> gives the pages),
/// path parameters first. Wire values (the text the oracle reads) are
/// converted to the properties' types; returned models are written back to JSON with their own writers.
/// </summary>
public sealed class ClientDriver : IDisposable
{
    private static readonly Assembly Clients = typeof(EventsBindings.Banyan.BanyanClient).Assembly;

    private readonly HttpClient _http;

    private ClientDriver(ContractSpec contract, object client, RecordingHandler handler, HttpClient http)
    {
        Contract = contract;
        Client = client;
        Handler = handler;
        _http = http;
    }

    public ContractSpec Contract { get; }

    public object Client { get; }

    public RecordingHandler Handler { get; }

    /// <summary>
    /// A client of the contract's API on the mock server. Retries are off unless <paramref name="configure"/>
    /// turns them on, so that errors surface at once.
    /// </summary>
    public static ClientDriver Create(MockServerFixture fx, ContractSpec contract, EventsCredential? credential = null, Action<EventsClientOptions>? configure = null)
    {
        return Create(fx.Host.ApiBaseAddress(contract.Name), contract, credential, configure);
    }

    /// <summary>A client of the contract's API on any host of the engine (Kestrel or WireMock.Net); retries off unless <paramref name="configure"/> turns them on.</summary>
    public static ClientDriver Create(IApiServer server, ContractSpec contract, EventsCredential? credential = null, Action<EventsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Create(server.ApiBaseAddress(contract.Name), contract, credential, configure);
    }

    /// <summary>
    /// A client of the contract's API at <paramref name="baseAddress"/> (the mock, or a proxy in front of it),
    /// every response validated against the kit's JSON Schemas. Retries are off unless <paramref name="configure"/>
    /// turns them on.
    /// </summary>
    public static ClientDriver Create(Uri baseAddress, ContractSpec contract, EventsCredential? credential = null, Action<EventsClientOptions>? configure = null)
    {
        var clientType = Type(contract, contract.Name + "Client");
        var options = (EventsClientOptions)Activator.CreateInstance(Type(contract, contract.Name + "ClientOptions"))!;
        options.Retry.MaxRetries = 0;
        options.AttemptTimeout = TimeSpan.FromSeconds(20);

        // Contract tests read strictly: the mock must serve what the contract says, so drift is a failure here.
        options.Strictness = EventsBindings.Runtime.Json.JsonStrictness.Strict;
        configure?.Invoke(options);
        var handler = new RecordingHandler { Schemas = ResponseSchemas.For(contract, baseAddress) };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var client = Activator.CreateInstance(clientType, http, baseAddress, credential ?? ReadCredential(contract), options)!;
        return new ClientDriver(contract, client, handler, http);
    }

    /// <summary>The contract's demo credential that may read, as the client takes it.</summary>
    public static EventsCredential ReadCredential(ContractSpec contract)
    {
        var c = contract.Mock!.Credentials.First(c => c.Access == CredentialAccess.Read && contract.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken);
        return new EventsKeyCredential(c.Value);
    }

    public static Type Type(ContractSpec contract, string name) =>
        Clients.GetType(contract.Namespace + "." + name) ?? throw new Xunit.Sdk.XunitException($"The generated clients lack {contract.Namespace}.{name}.");

    public void Dispose() => _http.Dispose();

    // ---- queries ----

    /// <summary>A query object for the endpoint with the given wire values set (path values are skipped: they are method arguments).</summary>
    public object? Query(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire)
    {
        var queryType = Clients.GetType(Contract.Namespace + "." + endpoint.Name + "Query");
        if (queryType is null)
        {
            Xunit.Assert.True(wire.Keys.All(k => endpoint.FindParameter(k)!.In == ParameterLocation.Path), $"{endpoint.Name} has query parameters but no {endpoint.Name}Query type.");
            return null;
        }

        var query = Activator.CreateInstance(queryType)!;
        foreach (var (name, value) in wire)
        {
            var p = endpoint.FindParameter(name) ?? throw new Xunit.Sdk.XunitException($"{endpoint.Name} has no parameter {name}.");
            if (p.In != ParameterLocation.Path)
            {
                Set(query, p, value);
            }
        }

        return query;
    }

    /// <summary>Sets one parameter's property from its wire text; the property's own exceptions (bounds) come through unwrapped.</summary>
    public static void Set(object query, ParameterSpec p, string wire)
    {
        var property = query.GetType().GetProperty(p.CSharpName)
            ?? throw new Xunit.Sdk.XunitException($"{query.GetType().Name} has no property {p.CSharpName} for the parameter {p.WireName}.");
        var value = Convert(wire, p, property.PropertyType);
        try
        {
            property.SetValue(query, value);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }

    /// <summary>The wire text of a parameter as a value of a client type (scalars, open enums, lists).</summary>
    public static object? Convert(string wire, ParameterSpec p, Type target)
    {
        var t = Nullable.GetUnderlyingType(target) ?? target;
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = t.GetGenericArguments()[0];
            var parts = p.Separator is { } sep ? wire.Split(sep) : new[] { wire };
            var array = Array.CreateInstance(element, parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                array.SetValue(Scalar(parts[i], p.Type.Element, element), i);
            }

            return array;
        }

        return Scalar(wire, p.Type.Element, t);
    }

    private static object Scalar(string wire, TypeRef type, Type t)
    {
        var c = CultureInfo.InvariantCulture;
        if (t == typeof(string))
        {
            return wire;
        }

        if (t == typeof(int))
        {
            return int.Parse(wire, c);
        }

        if (t == typeof(long))
        {
            return long.Parse(wire, c);
        }

        if (t == typeof(double))
        {
            return double.Parse(wire, c);
        }

        if (t == typeof(bool))
        {
            return bool.Parse(wire);
        }

        if (t == typeof(DateOnly))
        {
            return DateOnly.ParseExact(wire, "yyyy-MM-dd", c);
        }

        if (t == typeof(DateTimeOffset))
        {
            return type.Encoding switch
            {
                TimestampEncoding.EpochMillis => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(wire, c)),
                TimestampEncoding.EpochNanos => DateTimeOffset.UnixEpoch.AddTicks(long.Parse(wire, c) / 100),
                _ => DateTimeOffset.Parse(wire, c, DateTimeStyles.AssumeUniversal),
            };
        }

        if (t == typeof(DateTime))
        {
            return DateTime.Parse(wire, c, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        }

        // An open enum: its static Parse of the underlying representation.
        var parse = t.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m => m.Name == "Parse" && m.GetParameters().Length == 1 && m.ReturnType == t)
            ?? throw new Xunit.Sdk.XunitException($"No conversion from wire text to {t.FullName}.");
        return parse.Invoke(null, new[] { Scalar(wire, type, parse.GetParameters()[0].ParameterType) })!;
    }

    // ---- calls ----

    private object?[] Arguments(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire, MethodInfo method, params object?[] rest)
    {
        var parameters = method.GetParameters();
        var path = endpoint.Parameters.Where(p => p.In == ParameterLocation.Path).ToList();
        var args = new List<object?>();
        for (var i = 0; i < path.Count; i++)
        {
            var value = wire.TryGetValue(path[i].WireName, out var v) ? v : throw new Xunit.Sdk.XunitException($"No value for the path parameter {path[i].WireName}.");
            args.Add(Convert(value, path[i], parameters[i].ParameterType));
        }

        args.AddRange(rest);
        args.Add(CancellationToken.None);
        Xunit.Assert.Equal(parameters.Length, args.Count);
        return args.ToArray();
    }

    private MethodInfo Method(string name) => Client.GetType().GetMethod(name) ?? throw new Xunit.Sdk.XunitException($"{Client.GetType().Name} has no method {name}.");

    private object Invoke(MethodInfo method, object?[] args)
    {
        try
        {
            return method.Invoke(Client, args)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The value of a single get's <c>Task&lt;EventsResponse&lt;T&gt;&gt;</c>.</summary>
    private static async Task<object> ResultOf(object task)
    {
        await (Task)task;
        var response = task.GetType().GetProperty("Result")!.GetValue(task)!;
        return response.GetType().GetProperty("Value")!.GetValue(response)!;
    }

    /// <summary>Every item of a list endpoint, through <c>Get{E}Async</c>.</summary>
    public async Task<List<JsonElement>> ListAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire)
    {
        var method = Method("Get" + endpoint.Name + "Async");
        var items = (IAsyncEnumerable<object>)Invoke(method, Arguments(endpoint, wire, method, Query(endpoint, wire)));
        var result = new List<JsonElement>();
        await foreach (var item in items)
        {
            result.Add(ToJson(item));
        }

        return result;
    }

    /// <summary>The pages of a list endpoint, through <c>Get{E}Async(…).AsPages(continuationToken, pageSizeHint)</c>, from a continuation token or the start.</summary>
    public async Task<List<ClientPage>> PagesAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire, string? continuationToken = null, int? pageSizeHint = null)
    {
        var result = new List<ClientPage>();
        await foreach (var page in AsPages(endpoint, wire, continuationToken, pageSizeHint))
        {
            result.Add(ToPage(page));
        }

        return result;
    }

    /// <summary>One page of a list endpoint: the first of <c>AsPages(continuationToken)</c>.</summary>
    public async Task<ClientPage> PageAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire, string? continuationToken = null)
    {
        await foreach (var page in AsPages(endpoint, wire, continuationToken, null))
        {
            return ToPage(page);
        }

        throw new Xunit.Sdk.XunitException($"{endpoint.Name}: AsPages yielded no page (a list always has at least one, if empty).");
    }

    private IAsyncEnumerable<object> AsPages(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire, string? continuationToken, int? pageSizeHint)
    {
        var method = Method("Get" + endpoint.Name + "Async");
        var pageable = Invoke(method, Arguments(endpoint, wire, method, Query(endpoint, wire)));
        var asPages = pageable.GetType().GetMethod("AsPages") ?? throw new Xunit.Sdk.XunitException($"{method.ReturnType.Name} has no AsPages.");
        try
        {
            return (IAsyncEnumerable<object>)asPages.Invoke(pageable, new object?[] { continuationToken, pageSizeHint })!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>A count endpoint's answer, through <c>Get{E}Async</c>.</summary>
    public async Task<long> CountAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire)
    {
        var method = Method("Get" + endpoint.Name + "Async");
        return (long)await ResultOf(Invoke(method, Arguments(endpoint, wire, method, Query(endpoint, wire))));
    }

    /// <summary>An item endpoint's answer, through <c>Get{E}Async</c> (path values as arguments).</summary>
    public async Task<JsonElement> ItemAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire)
    {
        var method = Method("Get" + endpoint.Name + "Async");
        var query = method.GetParameters().Any(p => p.ParameterType.Name.EndsWith("Query", StringComparison.Ordinal)) ? new[] { Query(endpoint, wire) } : Array.Empty<object?>();
        return ToJson(await ResultOf(Invoke(method, Arguments(endpoint, wire, method, query))));
    }

    /// <summary>Calls an endpoint of any kind the client serves and returns what it returned, as JSON (a list, a number or an item).</summary>
    public async Task<JsonElement> CallAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire) => endpoint.Response.Kind switch
    {
        ResponseKind.List => JsonSerializer.SerializeToElement((await PageAsync(endpoint, wire)).Items),
        ResponseKind.Count => JsonSerializer.SerializeToElement(await CountAsync(endpoint, wire)),
        _ => await ItemAsync(endpoint, wire),
    };

    private static ClientPage ToPage(object page)
    {
        var type = page.GetType();
        var items = (IEnumerable)type.GetProperty("Items")!.GetValue(page)!;
        return new ClientPage(items.Cast<object>().Select(ToJson).ToList(), (string?)type.GetProperty("ContinuationToken")!.GetValue(page));
    }

    /// <summary>A generated model written by its own writer (its <see cref="IContractJson"/> implementation).</summary>
    public static JsonElement ToJson(object model)
    {
        var json = model as IContractJson
            ?? throw new Xunit.Sdk.XunitException($"{model.GetType().Name} is not a generated model (no IContractJson).");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            json.WriteJson(writer);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
