using EventsBindings.Testing;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.Kit.Tests;

/// <summary>Deliberately wrong servers for verify: a loopback Kestrel server (the shared <see cref="LoopbackServer"/>) at the root path.</summary>
internal static class StubServer
{
    // One client for every forwarding stub of the test run (a client per stub was never disposed).
    private static readonly HttpClient Upstream = new();

    public static Task<LoopbackServer> StartAsync(RequestDelegate handler) => LoopbackServer.StartAsync((context, _) => handler(context), basePath: string.Empty);

    /// <summary>
    /// A server that forwards every request to <paramref name="upstream"/> (an API base URL) after
    /// <paramref name="rewrite"/> had its say: it may answer itself (return true) or change the query.
    /// </summary>
    public static Task<LoopbackServer> ForwardAsync(Uri upstream, Func<HttpContext, Dictionary<string, string>, Task<bool>> rewrite)
    {
        return StartAsync(async context =>
        {
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            if (await rewrite(context, query))
            {
                return;
            }

            var target = upstream.ToString().TrimEnd('/') + context.Request.Path
                + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value))));
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
            foreach (var header in context.Request.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }

            using var response = await Upstream.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(context.Response.Body);
        });
    }
}
