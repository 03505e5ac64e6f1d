using System.Collections.Concurrent;

namespace EventsBindings.ContractTests.Driving;

/// <summary>
/// Sits between a generated client and the network: records every request the client sends (after
/// auth), optionally adds headers (fault injection) and rewrites the request (to send what the
/// client itself refuses to send), and validates every response body against the JSON Schema the kit
/// translates for it (<see cref="ResponseSchemas"/>): a body that does not conform fails the test at once,
/// naming the request, the schema and the errors.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<Uri> _sent = new();
    private readonly ConcurrentQueue<(HttpMethod Method, Uri Uri, string? Authorization, string[] HeaderNames)> _requests = new();

    public RecordingHandler()
        : this(new SocketsHttpHandler())
    {
    }

    /// <summary>A handler in front of another (tests of this handler answer with a stub).</summary>
    public RecordingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Headers added to every request, e.g. <c>X-Mock-Fault: 429</c>.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rewrites a request's URI before it is sent (null: as is).</summary>
    public Func<Uri, Uri>? Rewrite { get; set; }

    /// <summary>The schemas every response is validated against (null: no validation).</summary>
    public ResponseSchemas? Schemas { get; set; }

    /// <summary>Responses whose body this handler validated against a schema.</summary>
    public int Validated => _validated;

    private int _validated;

    public IReadOnlyList<Uri> Sent => _sent.ToList();

    /// <summary>Every request as sent: method, URI, the Authorization header and the names of all headers.</summary>
    public IReadOnlyList<(HttpMethod Method, Uri Uri, string? Authorization, string[] HeaderNames)> Requests => _requests.ToList();

    public void Clear()
    {
        _sent.Clear();
        _requests.Clear();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Rewrite is { } rewrite && request.RequestUri is { } uri)
        {
            request.RequestUri = rewrite(uri);
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        _sent.Enqueue(request.RequestUri!);
        _requests.Enqueue((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), request.Headers.Select(h => h.Key).ToArray()));
        return Schemas is null && Observe is null ? base.SendAsync(request, cancellationToken) : SendAndValidateAsync(request, Schemas, cancellationToken);
    }

    /// <summary>Sees every response before the client does (such as a validating proxy's verdict headers).</summary>
    public Func<HttpRequestMessage, HttpResponseMessage, Task>? Observe { get; set; }

    private async Task<HttpResponseMessage> SendAndValidateAsync(HttpRequestMessage request, ResponseSchemas? schemas, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Observe is { } observe)
        {
            await observe(request, response);
        }

        // Faults that break the body on purpose (malformed, truncate, reset, delay) are the client's
        // business, not the schema's; status faults (429, 500, ...) carry the contract's error bodies.
        var brokenOnPurpose = request.Headers.TryGetValues(FaultHeader, out var faults)
            && faults.SelectMany(f => f.Split(',')).Any(f => !int.TryParse(f.Trim(), out _));
        if (brokenOnPurpose || schemas?.Match(request.Method, request.RequestUri!) is not { } endpoint)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken); // buffered: the client reads it again
        var status = (int)response.StatusCode;
        var (errors, schema) = schemas!.Validate(endpoint, status, body);
        if (errors.Count > 0)
        {
            response.Dispose();
            throw new Xunit.Sdk.XunitException(
                $"The response to {request.Method} {request.RequestUri} ({status}) does not match {schema} written by the kit's translation:\n  "
                + string.Join("\n  ", errors) + "\nBody: " + (body.Length > 2000 ? body[..2000] + "…" : body));
        }

        Interlocked.Increment(ref _validated);
        return response;
    }

    /// <summary>The mock server's fault-injection header.</summary>
    public const string FaultHeader = "X-Mock-Fault";
}
