using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class AuthAndSecretsTests
{
    // '+' and '/' make servers' JSON escaping (\u002B, \/) and URL encoding (%2B, %2F) show up.
    private const string Secret = "S3cr3t+Key/9f8e7d6c5b4a";
    private const string AccessToken = "Acc3ss+Tok/en-1a2b3c4d5e";

    [Theory]
    [InlineData("key")]
    [InlineData("basic")]
    [InlineData("bearer")]
    [InlineData("refresh")]
    [InlineData("ssws")]
    public async Task Secrets_appear_in_no_exception_log_line_or_trace(string scheme)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Secret));
        var items = 0;
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/api/token")
            {
                await c.WriteJsonAsync("{\"access\":\"" + AccessToken + "\"}");
                return;
            }

            // The server echoes every credential it got into its error body, as careless servers do: verbatim,
            // JSON-escaped by a serializer (\u002B for '+') and with '/' escaped as '\/'.
            var got = c.Request.Headers["x-test-key"] + " " + c.Request.Headers.Authorization;
            var body = "{\"Message\":" + JsonSerializer.Serialize("Invalid API key '" + got + "'") + ",\"Raw\":\"" + got + "\",\"Php\":\"" + got.Replace("/", "\\/", StringComparison.Ordinal) + "\"}";
            await c.WriteJsonAsync(body, Interlocked.Increment(ref items) == 1 ? 500 : 401);
        });
        var logs = new CapturingLoggerFactory();
        using var activities = new ActivityCapture();
        EventsCredential credential = scheme == "refresh" ? new RefreshTokenCredential(Secret) : new EventsKeyCredential(Secret);
        var pipeline = TestApi.Pipeline(server, credential, TestApi.FastOptions(o =>
        {
            o.AuthScheme = scheme;
            o.LoggerFactory = logs;
        }));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        // The server did get the credential, and did echo it.
        var sent = scheme switch { "basic" => basic, "refresh" => AccessToken, _ => Secret };
        Assert.Contains(server.Requests, r => (r.Header("x-test-key") ?? r.Header("Authorization") ?? string.Empty).Contains(sent, StringComparison.Ordinal));
        var texts = new List<string> { ex.Message, ex.ToString(), ex.BodyExcerpt ?? string.Empty, credential.ToString() };
        texts.AddRange(logs.Lines.Select(l => l.Text));
        var stopped = activities.Stopped;
        texts.AddRange(stopped.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value)).Append(string.Join(" ", stopped.Select(a => a.DisplayName))));

        Assert.Contains("***", ex.BodyExcerpt!, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", ex.BodyExcerpt!, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        foreach (var text in texts)
        {
            foreach (var secret in new[] { Secret, basic, AccessToken }.SelectMany(Forms))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task An_authorization_scheme_sends_its_name_a_space_and_the_token()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential(Secret), TestApi.FastOptions(o => o.AuthScheme = "ssws"));
        await pipeline.GetItemsAsync();
        var request = Assert.Single(server.Requests);
        Assert.Equal("SSWS " + Secret, request.Header("Authorization"));
        Assert.Null(request.Header("x-test-key"));
    }

    [Fact]
    public void An_authorization_scheme_takes_no_refresh_token_and_needs_a_scheme_name()
    {
        using var http = new HttpClient();
        var refresh = Assert.Throws<ArgumentException>(() => new EventsPipeline(http, new Uri("http://127.0.0.1:9/"), new RefreshTokenCredential(Secret), TestApi.Descriptor, TestApi.FastOptions(o => o.AuthScheme = "ssws")));
        Assert.DoesNotContain(Secret, refresh.Message, StringComparison.Ordinal);
        var api = new ApiDescriptor("Bad", new[] { new AuthSchemeDescriptor("x", AuthSchemeKind.Authorization, AuthorizationScheme: "Bad Name") }, Array.Empty<ErrorDescriptor>());
        Assert.Throws<ArgumentException>(() => new EventsPipeline(http, new Uri("http://127.0.0.1:9/"), new EventsKeyCredential(Secret), api, new EventsClientOptions()));
    }

    /// <summary>A secret as it is and as servers echo it: JSON-escaped (upper- and lower-case hex), '/' as '\/', URL-encoded.</summary>
    private static IEnumerable<string> Forms(string secret)
    {
        var escaped = JsonEncodedText.Encode(secret).ToString();
        return new[] { secret, escaped, escaped.Replace("\\u002B", "\\u002b", StringComparison.Ordinal), secret.Replace("/", "\\/", StringComparison.Ordinal), Uri.EscapeDataString(secret) }.Distinct();
    }

    [Fact]
    public async Task A_secret_in_the_query_is_scrubbed_from_the_path_and_message_of_the_exception()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""{"Message":"bad filter"}""", 400));
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential(Secret));
        var request = TestApi.Get();
        request.AddQuery("echo", Secret);
        request.AddQuery("page", "2");

        var ex = await Assert.ThrowsAsync<EventsRequestException>(() => pipeline.GetItemsAsync(request: request));

        Assert.Equal("/api/items?echo=***&page=2", ex.Path);
        Assert.Contains("GET /api/items?echo=***&page=2 answered 400", ex.Message, StringComparison.Ordinal);
        foreach (var form in Forms(Secret))
        {
            Assert.DoesNotContain(form, ex.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_exchange_answer_that_does_not_match_the_contract_carries_no_body_excerpt()
    {
        // 200, but the token sits under another name: the scrubber cannot know it is a secret.
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{\"access_token\":\"" + AccessToken + "\",\"expires\":3600}"));
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(Secret));

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(() => pipeline.GetItemsAsync());

        Assert.Equal("/api/token", ex.Path);
        Assert.Null(ex.BodyExcerpt);
        Assert.Contains("access", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Count("/api/items"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(0)]
    public async Task The_token_exchange_is_a_post_and_is_not_sent_twice_on_a_transient_failure(int status)
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            if (status == 0)
            {
                c.Abort();
                return;
            }

            await c.WriteJsonAsync("{}", status);
        });
        var pipeline = TestApi.Pipeline(server, new RefreshTokenCredential(Secret), TestApi.FastOptions(o => o.TimeProvider = new InstantDelays()));

        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => pipeline.GetItemsAsync());

        Assert.Equal(status, ex.Status);
        Assert.Equal("/api/token", ex.Path);
        Assert.Equal(1, server.Count("/api/token"));
        Assert.Equal(0, server.Count("/api/items"));
    }

    [Fact]
    public void Credentials_do_not_show_their_secret()
    {
        Assert.Equal("EventsKeyCredential(***)", new EventsKeyCredential(Secret).ToString());
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
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential("abc1"));

        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => pipeline.GetItemsAsync());

        Assert.Contains("Invalid API key '***' for the tenant abc1x", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/items answered 401", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>Server URL templates: values fill placeholders, defaults apply, and no value can change the host or path.</summary>
public sealed class ServerUrlTests
{
    private static readonly ServerVariableDescriptor[] Variables =
    {
        new("region", "eu", "The region", new[] { "eu", "us" }),
        new("tenant", null, "The tenant id"),
    };

    [Fact]
    public void Values_and_defaults_fill_the_template()
    {
        Assert.Equal(new Uri("https://eu.example.com/t1/v1"), ServerUrl.Fill("Cell", "https://{region}.example.com/{tenant}/v1", Variables, new Dictionary<string, string?> { ["tenant"] = "t1" }));
        Assert.Equal(new Uri("https://us.example.com/t1/v1"), ServerUrl.Fill("Cell", "https://{region}.example.com/{tenant}/v1", Variables, new Dictionary<string, string?> { ["tenant"] = "t1", ["region"] = "us" }));
    }

    [Fact]
    public void A_variable_without_value_or_default_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServerUrl.Fill("Cell", "https://{region}.example.com/{tenant}/v1", Variables, null));
        Assert.Contains("'tenant'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The tenant id", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "evil.com/x")]
    [InlineData("tenant", "a?b=1")]
    [InlineData("tenant", "a#b")]
    [InlineData("tenant", "user@evil.com")]
    [InlineData("tenant", "a b")]
    [InlineData("tenant", "a\tb")]
    [InlineData("tenant", "a\\b")]
    [InlineData("tenant", "%2F")]
    [InlineData("tenant", "")]
    [InlineData("region", "ap")]
    public void A_value_that_would_change_the_url_is_refused_naming_the_variable(string name, string value)
    {
        var values = new Dictionary<string, string?> { ["tenant"] = "t1", [name] = value };
        var ex = Assert.Throws<ArgumentException>(() => ServerUrl.Fill("Cell", "https://{region}.example.com/{tenant}/v1", Variables, values));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void A_value_for_no_variable_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ServerUrl.Fill("Cell", "https://{region}.example.com/{tenant}/v1", Variables, new Dictionary<string, string?> { ["tenant"] = "t1", ["tennant"] = "x" }));
        Assert.Contains("tennant", ex.Message, StringComparison.Ordinal);
    }
}
