using System.Net.Http.Headers;
using System.Text.Json;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Runtime;
using EventsBindings.Tests.SysLog;

namespace EventsBindings.Filtering.Tests;

/// <summary>A mock serving only the test contract <c>syslog.events.yaml</c> (from a directory of its own).</summary>
public sealed class SysLogMock : IAsyncDisposable
{
    public const string Token = "syslog-demo-token";
    private readonly string _dir;

    private SysLogMock(string dir, MockServerHost host)
    {
        _dir = dir;
        Host = host;
    }

    public MockServerHost Host { get; }

    public Uri Api => Host.ApiBaseAddress("SysLog");

    public static async Task<SysLogMock> StartAsync(Action<MockServerOptions>? configure = null)
    {
        var dir = Directory.CreateTempSubdirectory("syslog-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "filter", "syslog.events.yaml"), Path.Combine(dir, "syslog.events.yaml"));
        var options = new MockServerOptions { Port = 0, Events = 600, Seed = 7, ContractsDirectory = dir, HotReload = false };
        configure?.Invoke(options);
        var host = new MockServerHost(options);
        await host.StartAsync();
        if (host.Messages.FirstOrDefault(m => m.Contains("EB1", StringComparison.Ordinal)) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return new SysLogMock(dir, host);
    }

    public SysLogClient Client(Action<SysLogClientOptions>? configure = null)
    {
        var options = new SysLogClientOptions { Endpoint = Api };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        configure?.Invoke(options);
        return new SysLogClient(new HttpClient(), Api, new EventsKeyCredential(Token), options);
    }

    /// <summary>A raw GET below the API (query already encoded), with the demo token.</summary>
    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string pathAndQuery)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api, pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>Every event of the dataset, as JSON, in the endpoint's order.</summary>
    public async Task<List<JsonElement>> AllAsync()
    {
        var all = new List<JsonElement>();
        for (var skip = 0; ; skip += 1000)
        {
            var (status, body, _) = await GetAsync($"logs?limit=1000&skip={skip}");
            if (status != 200)
            {
                throw new InvalidOperationException($"GET logs answered {status}: {body}");
            }

            all.AddRange(body.EnumerateArray());
            if (body.GetArrayLength() < 1000)
            {
                return all;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
