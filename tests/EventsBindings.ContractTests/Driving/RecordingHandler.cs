using System.Collections.Concurrent;

namespace EventsBindings.ContractTests.Driving;

/// <summary>
/// Sits between a generated client and the network: records every request the client sends (after
/// auth), optionally adds headers (fault injection) and rewrites the request (to send what the
/// client itself refuses to send).
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<Uri> _sent = new();
    private readonly ConcurrentQueue<(HttpMethod Method, Uri Uri, string? Authorization, string[] HeaderNames)> _requests = new();

    public RecordingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>Headers added to every request, e.g. <c>X-Mock-Fault: 429</c>.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rewrites a request's URI before it is sent (null: as is).</summary>
    public Func<Uri, Uri>? Rewrite { get; set; }

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
        return base.SendAsync(request, cancellationToken);
    }
}
