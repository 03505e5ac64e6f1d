using System.Net.Http.Headers;
using System.Text;
using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>A clock that stands still, so that "now" (windows, appended items) does not move during a test.</summary>
public sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Helpers around an in-process <see cref="MockServerHost"/>.</summary>
public static class Mock
{
    /// <summary>The frozen "now" of the tests' mock servers.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Starts a mock on 127.0.0.1, a free port, with a frozen clock.</summary>
    public static async Task<MockServerHost> StartAsync(int events, int seed, List<string>? log = null, int journalCapacity = 10_000)
    {
        var options = new MockServerOptions { Port = 0, Events = events, Seed = seed, HotReload = false, TimeProvider = new FrozenClock(Now), JournalCapacity = journalCapacity };
        if (log is not null)
        {
            options.Log = m =>
            {
                lock (log)
                {
                    log.Add(m);
                }
            };
        }

        var host = new MockServerHost(options);
        await host.StartAsync();
        return host;
    }

    /// <summary>The readable, directly usable (not refresh) demo credential of an API.</summary>
    public static MockCredentialInfo Credential(MockServerHost host, string api) =>
        host.Apis.Single(a => a.Name == api).Credentials.First(c => c.CanRead && c.Kind != "RefreshToken");

    /// <summary>The credential as a request header line.</summary>
    public static string HeaderLine(MockCredentialInfo credential) => credential.Kind switch
    {
        "ApiKey" => credential.Header + ": " + credential.Value,
        "Basic" => "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + credential.Value)),
        _ => "Authorization: Bearer " + credential.Value,
    };

    /// <summary>Adds the credential to a request (the shared test library's rule).</summary>
    public static void Authorize(HttpRequestMessage request, MockCredentialInfo credential) => EventsBindings.MockServer.Xunit.MockServerFixture.Authorize(request, credential);
}
