using System.Text;
using EventsBindings.MockServer.Hosting;
using WireMock;
using WireMock.Logging;
using WireMock.Types;
using WireMock.Util;

namespace EventsBindings.MockServer.WireMock;

/// <summary>
/// WireMock.Net's request log, redacted as the engine's journal is: credentials in headers (Authorization keeps
/// its scheme), query parameters (a credential inside a list value too), paths, URLs, cookies and bodies become <c>***</c>. WireMock.Net stores requests as it
/// got them; a log entry's request and response are swapped for redacted copies when the entry is added.
/// </summary>
internal static class Redaction
{
    private const string Mask = "***";

    public static void Redact(LogEntry entry, MockServerEngine engine)
    {
        if (entry.RequestMessage is { } request and not RedactedRequestMessage)
        {
            entry.RequestMessage = new RedactedRequestMessage(request, engine);
        }

        // The response object is the one WireMock.Net is about to write to the client: copy, never change it.
        if (entry.ResponseMessage is ResponseMessage response && response.BodyData is { } body && BodyText(body) is { } text)
        {
            var redacted = engine.RedactText(text);
            if (!string.Equals(redacted, text, StringComparison.Ordinal))
            {
                entry.ResponseMessage = new ResponseMessage
                {
                    StatusCode = response.StatusCode,
                    Headers = response.Headers,
                    TrailingHeaders = response.TrailingHeaders,
                    FaultType = response.FaultType,
                    FaultPercentage = response.FaultPercentage,
                    BodyData = new BodyData { BodyAsString = redacted, Encoding = Encoding.UTF8, DetectedBodyType = BodyType.String, DetectedBodyTypeFromContentType = BodyType.String },
                };
            }
        }
    }

    internal static string? BodyText(IBodyData body) =>
        body.BodyAsString ?? (body.BodyAsBytes is { Length: > 0 } bytes ? Encoding.UTF8.GetString(bytes) : null);

    internal static string RedactUrl(string url, MockServerEngine engine)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? engine.RedactText(url) : engine.RedactText(url[..question]) + engine.RedactQuery(url[question..]);
    }

    internal static IDictionary<string, WireMockList<string>>? RedactHeaders(IDictionary<string, WireMockList<string>>? headers, MockServerEngine engine)
    {
        if (headers is null)
        {
            return null;
        }

        var result = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            result[name] = new WireMockList<string>(values.Select(v => engine.RedactHeader(name, v)));
        }

        return result;
    }

    internal static IDictionary<string, WireMockList<string>>? RedactQuery(IDictionary<string, WireMockList<string>>? query, MockServerEngine engine, StringComparer comparer)
    {
        if (query is null)
        {
            return null;
        }

        var result = new Dictionary<string, WireMockList<string>>(comparer);
        foreach (var (name, values) in query)
        {
            // A name that is itself a credential (?<key>=…) is listed as *** (the first such name wins the key).
            result.TryAdd(engine.IsSecret(string.Empty, name) ? Mask : name, new WireMockList<string>(values.Select(v => engine.IsSecret(name, v) ? Mask : v)));
        }

        return result;
    }
}

/// <summary>A logged request with its credentials redacted; everything else as WireMock.Net recorded it.</summary>
internal sealed class RedactedRequestMessage : IRequestMessage
{
    private readonly IRequestMessage _inner;

    public RedactedRequestMessage(IRequestMessage inner, MockServerEngine engine)
    {
        _inner = inner;
        Url = Redaction.RedactUrl(inner.Url, engine);
        Path = engine.RedactText(inner.Path);
        AbsolutePath = engine.RedactText(inner.AbsolutePath);
        PathSegments = inner.PathSegments.Select(engine.RedactText).ToArray();
        AbsolutePathSegments = inner.AbsolutePathSegments.Select(engine.RedactText).ToArray();
        AbsoluteUrl = Redaction.RedactUrl(inner.AbsoluteUrl, engine);
        RawQuery = string.IsNullOrEmpty(inner.RawQuery) ? inner.RawQuery : engine.RedactQuery(inner.RawQuery);
        Headers = Redaction.RedactHeaders(inner.Headers, engine);
        Query = Redaction.RedactQuery(inner.Query, engine, StringComparer.Ordinal);
        QueryIgnoreCase = Redaction.RedactQuery(inner.QueryIgnoreCase, engine, StringComparer.OrdinalIgnoreCase);
        Cookies = inner.Cookies?.ToDictionary(c => c.Key, _ => "***", StringComparer.Ordinal);
        if (inner.BodyData is { } body && Redaction.BodyText(body) is { } text)
        {
            var redacted = engine.RedactText(text);
            if (!string.Equals(redacted, text, StringComparison.Ordinal))
            {
                BodyData = new BodyData { BodyAsString = redacted, Encoding = Encoding.UTF8, DetectedBodyType = BodyType.String, DetectedBodyTypeFromContentType = BodyType.String };
                Body = redacted;
                BodyAsBytes = Encoding.UTF8.GetBytes(redacted);
                BodyAsJson = null;
                return;
            }
        }

        BodyData = inner.BodyData;
        Body = inner.Body;
        BodyAsBytes = inner.BodyAsBytes;
        BodyAsJson = inner.BodyAsJson;
    }

    public string ClientIP => _inner.ClientIP;

    public string Url { get; }

    public string AbsoluteUrl { get; }

    public string? ProxyUrl
    {
        get => _inner.ProxyUrl;
        set => _inner.ProxyUrl = value;
    }

    public DateTime DateTime => _inner.DateTime;

    public string Path { get; }

    public string AbsolutePath { get; }

    public string[] PathSegments { get; }

    public string[] AbsolutePathSegments { get; }

    public string Method => _inner.Method;

    public string HttpVersion => _inner.HttpVersion;

    public IDictionary<string, WireMockList<string>>? Headers { get; }

    public IDictionary<string, string>? Cookies { get; }

    public IDictionary<string, WireMockList<string>>? Query { get; }

    public IDictionary<string, WireMockList<string>>? QueryIgnoreCase { get; }

    public string RawQuery { get; }

    public IBodyData? BodyData { get; }

    public string? Body { get; }

    public object? BodyAsJson { get; }

    public byte[]? BodyAsBytes { get; }

    public string? DetectedBodyType => _inner.DetectedBodyType;

    public string? DetectedBodyTypeFromContentType => _inner.DetectedBodyTypeFromContentType;

    public string? DetectedCompression => _inner.DetectedCompression;

    public string Host => _inner.Host;

    public string Protocol => _inner.Protocol;

    public int Port => _inner.Port;

    public string Origin => _inner.Origin;

    public global::WireMock.Models.Mime.IMimeMessageData? BodyAsMimeMessage => _inner.BodyAsMimeMessage;

    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate => _inner.ClientCertificate;

    public WireMockList<string>? GetParameter(string key, bool ignoreCase = false) =>
        (ignoreCase ? QueryIgnoreCase : Query) is { } query && query.TryGetValue(key, out var values) ? values : null;
}
