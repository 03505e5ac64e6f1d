using System.Diagnostics;
using System.Text;
using EventsBindings.Runtime.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class AuthAndSecretsTests
{
    private const string Secret = "S3cr3t-Key-9f8e7d6c5b4a";

    [Theory]
    [InlineData("key")]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task Secrets_appear_in_no_exception_log_line_or_trace(string scheme)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Secret));
        // The server echoes every credential it got into its error body, as careless servers do.
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            var echoed = $"Invalid API key '{c.Request.Headers["x-test-key"]}' / '{c.Request.Headers.Authorization}'";
            if (n == 1)
            {
                await c.WriteJsonAsync("{\"Message\":\"" + echoed + "\"}", 500);
                return;
            }

            await c.WriteJsonAsync("{\"Message\":\"" + echoed + "\"}", 401);
        });
        var logs = new CapturingLoggerFactory();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "EventsBindings.Runtime",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var credential = new ApiKeyCredential(Secret);
        var pipeline = TestApi.Pipeline(server, credential, TestApi.FastOptions(o =>
        {
            o.AuthScheme = scheme;
            o.LoggerFactory = logs;
        }));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        // The server did get the secret, and did echo it.
        Assert.Contains(server.Requests, r => (r.Header("x-test-key") ?? r.Header("Authorization") ?? string.Empty).Contains(scheme == "basic" ? basic : Secret, StringComparison.Ordinal));
        var texts = new List<string> { ex.Message, ex.ToString(), ex.BodyExcerpt ?? string.Empty, credential.ToString() };
        texts.AddRange(logs.Lines.Select(l => l.Text));
        lock (activities)
        {
            texts.AddRange(activities.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value)).Append(string.Join(" ", activities.Select(a => a.DisplayName))));
        }

        Assert.Contains("***", ex.BodyExcerpt!, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Credentials_do_not_show_their_secret()
    {
        Assert.Equal("ApiKeyCredential(***)", new ApiKeyCredential(Secret).ToString());
        Assert.Equal("RefreshTokenCredential(***)", new RefreshTokenCredential(Secret).ToString());
    }

    [Fact]
    public async Task Refresh_token_is_exchanged_once_cached_and_refreshed_once_on_401()
    {
        var current = "access-1";
        var exchanges = 0;
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/api/token")
            {
                Assert.Equal("POST", c.Request.Method);
                if (c.Request.Headers.Authorization != "Bearer " + Secret)
                {
                    await c.WriteJsonAsync("""{"Message":"Unauthorized"}""", 401);
                    return;
                }

                Interlocked.Increment(ref exchanges);
                await c.WriteJsonAsync("{\"access\":\"" + current + "\"}");
                return;
            }

            if (c.Request.Headers.Authorization != "Bearer " + current)
            {
                await c.WriteJsonAsync("""{"Message":"Unauthorized"}""", 401);
                return;
            }

            await c.WriteJsonAsync("[]");
        });
        var logs = new CapturingLoggerFactory();
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(Secret), TestApi.FastOptions(o => o.LoggerFactory = logs));

        await pipeline.GetItemsAsync();
        await pipeline.GetItemsAsync();
        Assert.Equal(1, exchanges);

        current = "access-2"; // the server revokes the cached access token
        await pipeline.GetItemsAsync();
        Assert.Equal(2, exchanges);
        Assert.Equal(new[] { "Bearer access-1", "Bearer access-1", "Bearer access-1", "Bearer access-2" }, server.Requests.Where(r => r.Path == "/api/items").Select(r => r.Header("Authorization")));
        Assert.Contains(logs.Lines, l => l.Id.Name == "TokenRejected");
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("access-", StringComparison.Ordinal) || l.Text.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_rejected_again_after_the_refresh_fails_without_looping()
    {
        var exchanges = 0;
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/api/token")
            {
                var n = Interlocked.Increment(ref exchanges);
                await c.WriteJsonAsync("{\"access\":\"token-" + n + "\"}");
                return;
            }

            await c.WriteJsonAsync("""{"Message":"Unauthorized"}""", 401);
        });
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(Secret));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        Assert.Equal(2, exchanges);
        Assert.Equal(2, server.Count("/api/items"));
        Assert.DoesNotContain("token-", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_refresh_token_is_an_authentication_error_without_the_token()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{\"Message\":\"bad refresh token " + c.Request.Headers.Authorization + "\"}", 401));
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(Secret));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        Assert.Equal("/api/token", ex.Path);
        Assert.Equal(0, server.Count("/api/items"));
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_exchanged_again()
    {
        var refresh = "refresh-A";
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/api/token")
            {
                var given = c.Request.Headers.Authorization.ToString()["Bearer ".Length..];
                await c.WriteJsonAsync("{\"access\":\"for-" + given + "\"}");
                return;
            }

            await c.WriteJsonAsync("[]");
        });
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(() => refresh));

        await pipeline.GetItemsAsync();
        refresh = "refresh-B";
        await pipeline.GetItemsAsync();

        Assert.Equal(new[] { "Bearer for-refresh-A", "Bearer for-refresh-B" }, server.Requests.Where(r => r.Path == "/api/items").Select(r => r.Header("Authorization")));
    }
}

public sealed class SecretScrubberTests
{
    [Fact]
    public async Task A_short_secret_is_masked_as_a_token_without_garbling_the_message()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{\"Message\":\"Invalid API key 'abc1' for the tenant abc1x\"}", 401));
        var pipeline = TestApi.Pipeline(server, new ApiKeyCredential("abc1"));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        Assert.Contains("Invalid API key '***' for the tenant abc1x", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/items answered 401", ex.Message, StringComparison.Ordinal);
    }
}
