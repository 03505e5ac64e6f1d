using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Kit.Tests;

/// <summary>A tiny Kestrel server on 127.0.0.1 (port 0) that answers with one delegate: a deliberately wrong server.</summary>
internal sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's base address (no path).</summary>
    public Uri Address { get; }

    public static async Task<StubServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StubServer(app, new Uri(address));
    }

    /// <summary>
    /// A server that forwards every request to <paramref name="upstream"/> (an API base URL) after
    /// <paramref name="rewrite"/> had its say: it may answer itself (return true) or change the query.
    /// </summary>
    public static Task<StubServer> ForwardAsync(Uri upstream, Func<HttpContext, Dictionary<string, string>, Task<bool>> rewrite)
    {
        var http = new HttpClient();
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

            using var response = await http.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(context.Response.Body);
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
