using EventsBindings.Runtime.Infrastructure;
using Polly;

namespace EventsBindings.Runtime;

/// <summary>
/// What one call needs across its attempts: the request, its URL, the secrets met so far (so that every
/// message, log and trace of the call is scrubbed of them) and what the attempts learnt.
/// </summary>
internal sealed class CallInfo
{
    /// <summary>Where Polly's context carries the call, so that retry decisions and retry telemetry can see it.</summary>
    public static readonly ResiliencePropertyKey<CallInfo> Key = new("EventsBindings.Call");

    private (int Version, string Text) _displayPath = (-1, string.Empty);
    private (int Version, string Text) _logPath = (-1, string.Empty);

    public CallInfo(EventsRequest request, Uri uri, string? exchangeSecret, EventsPipeline owner)
    {
        Request = request;
        Uri = uri;
        ExchangeSecret = exchangeSecret;
        Owner = owner;
        Method = request.Method.Method;
        Operation = request.OperationName;
        if (exchangeSecret is not null)
        {
            Scrubber.Add(exchangeSecret);
        }
    }

    public EventsRequest Request { get; }

    /// <summary>What the caller keeps of the response beyond its body (its raw response; a next link's header); null for token exchanges.</summary>
    public ResponseCapture? Capture { get; init; }

    public Uri Uri { get; private set; }

    /// <summary>Points the call at the URI its request has after per-call policies changed it; texts derived from the old one are dropped.</summary>
    public void Retarget(Uri uri)
    {
        Uri = uri;
        _displayPath = (-1, string.Empty);
        _logPath = (-1, string.Empty);
        if (Capture is { } capture)
        {
            capture.RequestUri = uri;
        }
    }

    /// <summary>The refresh token when this call is the token exchange itself; null otherwise.</summary>
    public string? ExchangeSecret { get; }

    public EventsPipeline Owner { get; }

    public string Method { get; }

    public string Operation { get; }

    /// <summary>Path and query, scrubbed of every secret known so far, for exceptions.</summary>
    public string DisplayPath => Scrubbed(ref _displayPath, Uri.PathAndQuery);

    /// <summary>Path without query, scrubbed, for logs.</summary>
    public string LogPath => Scrubbed(ref _logPath, Uri.AbsolutePath);

    /// <summary>The URL for the trace's <c>url.full</c>, redacted (see <see cref="UrlRedaction"/>).</summary>
    public string UrlFull => UrlRedaction.FullUrl(Uri, Scrubber);

    public SecretScrubber Scrubber { get; } = new();

    public int Attempts { get; set; }

    /// <summary>A 401 already made this call exchange its refresh token again (done at most once per call).</summary>
    public bool Refreshed { get; set; }

    public int LastStatus { get; set; }

    /// <summary>The token exchange failed inside this call: the call is not retried.</summary>
    public bool ExchangeFailed { get; set; }

    /// <summary>"1 attempt" or "n attempts", for messages.</summary>
    public string AttemptsText => Attempts == 1 ? "1 attempt" : Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) + " attempts";

    /// <summary>Text scrubbed once per set of known secrets (secrets are registered as attempts authenticate).</summary>
    private string Scrubbed(ref (int Version, string Text) cache, string raw)
    {
        if (cache.Version != Scrubber.Version)
        {
            cache = (Scrubber.Version, Scrubber.Scrub(raw));
        }

        return cache.Text;
    }
}

/// <summary>
/// What a call keeps of its successful response beside the parsed body: the raw response (status, headers) for
/// the caller, and for a next-link page the link header's values and the scrubbed path.
/// </summary>
internal sealed class ResponseCapture(string? headerName)
{
    /// <summary>The raw response of the successful attempt.</summary>
    public EventsResponse? Response { get; set; }

    public string? HeaderName { get; } = headerName;

    public string[]? HeaderValues { get; set; }

    public string? Next { get; set; }

    public Uri? RequestUri { get; set; }

    public int Status { get; set; }

    public string DisplayPath { get; set; } = string.Empty;

    public string LogPath { get; set; } = string.Empty;
}
