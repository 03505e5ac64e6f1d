using System.Net;
using EventsBindings.MockServer.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace EventsBindings.MockServer.WireMock;

/// <summary>
/// The callback of every contract mapping: WireMock.Net's request as an <see cref="HttpContext"/> for the
/// engine, and the engine's answer as WireMock.Net's response. No semantics of its own.
/// </summary>
internal sealed class WireMockResponder
{
    private readonly MockServerEngine _engine;

    public WireMockResponder(MockServerEngine engine) => _engine = engine;

    public async Task<IResponseMessage> AnswerAsync(IRequestMessage message)
    {
        var context = ToHttpContext(message, out var lifetime);
        using var body = new MemoryStream();
        context.Response.Body = body;
        await _engine.HandleAsync(context).ConfigureAwait(false);
        await context.Response.CompleteAsync().ConfigureAwait(false);
        return ToResponseMessage(context.Response, body.ToArray(), lifetime.Aborted);
    }

    /// <summary>
    /// The request as the engine reads it. The query is WireMock.Net's raw query string (its parsed one splits
    /// values on "," and ";", and loses a parameter given twice); headers keep every value as sent.
    /// </summary>
    internal static DefaultHttpContext ToHttpContext(IRequestMessage message, out LifetimeFeature lifetime)
    {
        var context = new DefaultHttpContext();
        lifetime = new LifetimeFeature();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        var request = context.Request;
        request.Method = message.Method;
        request.Scheme = string.IsNullOrEmpty(message.Protocol) ? "http" : message.Protocol;
        request.Host = new HostString(message.Host, message.Port);
        request.Path = new PathString(message.Path.StartsWith('/') ? message.Path : "/" + message.Path);
        var raw = message.RawQuery;
        request.QueryString = string.IsNullOrEmpty(raw) || raw == "?" ? QueryString.Empty : new QueryString(raw[0] == '?' ? raw : "?" + raw);
        if (message.Headers is { } headers)
        {
            foreach (var (name, values) in headers)
            {
                request.Headers[name] = new StringValues(values.ToArray());
            }
        }

        var bytes = message.BodyAsBytes ?? (message.Body is { } text ? System.Text.Encoding.UTF8.GetBytes(text) : null);
        if (bytes is { Length: > 0 })
        {
            request.Body = new MemoryStream(bytes, writable: false);
            request.ContentLength = bytes.Length;
        }

        if (IPAddress.TryParse(message.ClientIP, out var ip))
        {
            context.Connection.RemoteIpAddress = ip;
        }

        return context;
    }

    /// <summary>
    /// The engine's answer as WireMock.Net's. A fault that cut the connection becomes WireMock.Net's nearest
    /// fault: a body cut short (truncate) its malformed chunk, no answer at all (reset) its empty response.
    /// </summary>
    internal static ResponseMessage ToResponseMessage(HttpResponse response, byte[] body, bool aborted)
    {
        var message = new ResponseMessage
        {
            StatusCode = response.StatusCode,
            Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase),
        };
        foreach (var (name, values) in response.Headers)
        {
            message.Headers[name] = new WireMockList<string>(values.Where(v => v is not null).Select(v => v!));
        }

        if (body.Length > 0)
        {
            message.BodyData = new BodyData
            {
                BodyAsBytes = body,
                DetectedBodyType = BodyType.Bytes,
                DetectedBodyTypeFromContentType = BodyType.Bytes,
            };
        }

        if (aborted)
        {
            message.FaultType = body.Length > 0 ? FaultType.MALFORMED_RESPONSE_CHUNK : FaultType.EMPTY_RESPONSE;
        }

        return message;
    }

    /// <summary>Records whether the engine dropped the connection (a fault).</summary>
    internal sealed class LifetimeFeature : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }
}
