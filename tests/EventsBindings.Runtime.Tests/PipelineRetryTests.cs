using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class PipelineRetryTests
{
    private static readonly string TwoItems = TestApi.Json(TestApi.Items(1, 2));

    [Fact]
    public async Task Throttled_429_with_RetryAfter_seconds_waits_that_long_then_succeeds()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers.RetryAfter = "3";
                await c.WriteJsonAsync("""{"Message":"Too many requests"}""", 429);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();
        var logs = new CapturingLoggerFactory();
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.TimeProvider = clock;
            o.LoggerFactory = logs;
        }));

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(3), clock.Delays);
        Assert.Contains(logs.Lines, l => l.Id.Name == "Throttled");
        Assert.Contains(logs.Lines, l => l.Id.Name == "Retry" && l.Text.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttled_429_with_RetryAfter_http_date_is_honoured()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(4).ToString("R");
                await c.WriteJsonAsync("{}", 429);
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var clock = new InstantDelays();
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.TimeProvider = clock));

        await pipeline.GetItemsAsync();

        Assert.Equal(2, server.Requests.Count);
        // An HTTP date has whole seconds: the wait lies between 3 and 4 seconds (never the 1 ms backoff).
        var wait = Assert.Single(clock.Delays, d => d > TimeSpan.FromSeconds(2));
        Assert.InRange(wait, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Throttled_beyond_MaxRetryAfter_fails_at_once_with_the_retry_after_seen()
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            c.Response.Headers.RetryAfter = "3600";
            await c.WriteJsonAsync("""{"Message":"Too many requests"}""", 429);
        });
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(30)));

        var ex = await Assert.ThrowsAsync<EventsThrottledException>(() => pipeline.GetItemsAsync());

        Assert.Single(server.Requests);
        Assert.Equal(429, ex.Status);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Equal("Throttled for flooding.", ex.Meaning);
        Assert.True(ex.IsTransient);
        Assert.Contains("Too many requests", ex.BodyExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_timeout_408_then_success_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => n == 1
            ? c.WriteJsonAsync("""{"Message":"Request timed out"}""", 408)
            : c.WriteJsonAsync(TwoItems));
        var logs = new CapturingLoggerFactory();
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.TimeProvider = new InstantDelays();
            o.LoggerFactory = logs;
        }));

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(logs.Lines, l => l.Id.Name == "Retry" && l.Text.Contains("408", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Persistent_408_fails_as_a_transient_request_exception()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{}", 408));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.TimeProvider = new InstantDelays()));

        var ex = await Assert.ThrowsAsync<EventsRequestException>(() => pipeline.GetItemsAsync());

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(408, ex.Status);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Server_error_then_success_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => n == 1
            ? c.WriteJsonAsync("""{"Message":"An error has occurred."}""", 500)
            : c.WriteJsonAsync(TwoItems));
        var pipeline = TestApi.Pipeline(server);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Persistent_server_errors_give_up_after_MaxRetries_with_the_contract_meaning()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""{"Message":"An error has occurred."}""", 500));
        var clock = new InstantDelays();
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.TimeProvider = clock;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(3);
            o.Retry.UseJitter = false;
        }));

        var ex = await Assert.ThrowsAsync<EventsServerException>(() => pipeline.GetItemsAsync());

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(500, ex.Status);
        Assert.Equal("The service failed.", ex.Meaning);
        Assert.Equal("GET", ex.Method);
        Assert.Equal("/api/items", ex.Path);
        Assert.Contains("GET /api/items answered 500", ex.Message, StringComparison.Ordinal);
        // Exponential backoff capped at MaxDelay: 1 s, 2 s, 3 s.
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) }, clock.Delays);
    }

    [Fact]
    public async Task Jitter_keeps_delays_between_half_and_all_of_the_backoff()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{}", 503));
        var clock = new InstantDelays();
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.TimeProvider = clock;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(2);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(8);
        }));

        await Assert.ThrowsAsync<EventsServerException>(() => pipeline.GetItemsAsync());

        var delays = clock.Delays;
        Assert.Equal(3, delays.Count);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Connection_reset_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Abort();
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var pipeline = TestApi.Pipeline(server);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Connection_broken_in_the_middle_of_the_body_retries_the_request()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.ContentType = "application/json";
                c.Response.ContentLength = 1000;
                await c.Response.WriteAsync("[{\"id\":1,");
                await c.Response.Body.FlushAsync();
                c.Abort();
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        var pipeline = TestApi.Pipeline(server);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Unreachable_server_fails_with_a_connection_exception_after_the_retries()
    {
        var unreachable = LoopbackServer.Unreachable();
        var port = unreachable.Port;
        var pipeline = new EventsPipeline(new HttpClient(), unreachable, new EventsKeyCredential("k"), TestApi.Descriptor, TestApi.FastOptions(o => o.Retry.MaxRetries = 1));

        var ex = await Assert.ThrowsAsync<EventsConnectionException>(() => pipeline.GetItemsAsync());

        Assert.Equal(0, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_timeout_abandons_a_hanging_attempt_and_retries()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await c.WriteJsonAsync(TwoItems);
        });
        // Long enough that a loaded machine answers the second attempt within it (the first hangs for ever).
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.AttemptTimeout = TimeSpan.FromSeconds(2)));

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Overall_deadline_ends_the_call_with_a_timeout_exception()
    {
        await using var server = await LoopbackServer.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.OverallTimeout = TimeSpan.FromSeconds(2); // long enough for the request to reach the server on a loaded machine
        }));

        var ex = await Assert.ThrowsAsync<EventsTimeoutException>(() => pipeline.GetItemsAsync());

        Assert.Contains("overall deadline", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(400, typeof(EventsRequestException), "A filter is invalid.")]
    [InlineData(401, typeof(EventsAuthenticationException), "The key is missing or invalid.")]
    [InlineData(403, typeof(EventsAuthorizationException), "The key may not read items.")]
    [InlineData(404, typeof(EventsNotFoundException), "No such thing.")]
    public async Task Client_errors_are_not_retried_and_map_to_their_exception(int status, Type type, string meaning)
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""{"Message":"no"}""", status));
        var pipeline = TestApi.Pipeline(server);

        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => pipeline.GetItemsAsync());

        Assert.IsType(type, ex);
        Assert.Single(server.Requests);
        Assert.Equal(status, ex.Status);
        Assert.Equal(meaning, ex.Meaning);
        Assert.False(ex.IsTransient);
        Assert.Contains(meaning.TrimEnd('.'), ex.Message, StringComparison.Ordinal);
        Assert.Equal("""{"Message":"no"}""", ex.BodyExcerpt);
    }

    [Fact]
    public async Task Post_is_not_retried()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{}", 503));
        var pipeline = TestApi.Pipeline(server);
        var request = new EventsRequest(HttpMethod.Post, "Create", "/items");
        request.AppendPath("/items");

        await Assert.ThrowsAsync<EventsServerException>(() => pipeline.GetItemsAsync(request: request));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Post_is_not_retried_when_the_connection_breaks_after_sending()
    {
        await using var server = await LoopbackServer.StartAsync(c =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        var pipeline = TestApi.Pipeline(server);
        var request = new EventsRequest(HttpMethod.Post, "Create", "/items");
        request.AppendPath("/items");

        await Assert.ThrowsAsync<EventsConnectionException>(() => pipeline.GetItemsAsync(request: request));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Post_is_retried_only_while_no_connection_could_be_made()
    {
        var sends = new CountingHandler();
        var pipeline = new EventsPipeline(new HttpClient(sends), LoopbackServer.Unreachable(), new EventsKeyCredential("k"), TestApi.Descriptor, TestApi.FastOptions(o => o.TimeProvider = new InstantDelays()));
        var request = new EventsRequest(HttpMethod.Post, "Create", "/items");
        request.AppendPath("/items");

        var ex = await Assert.ThrowsAsync<EventsConnectionException>(() => pipeline.GetItemsAsync(request: request));

        // Nothing was sent, so nothing can have happened twice: these retries are safe.
        Assert.Equal(4, sends.Count);
        Assert.Contains("4 attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_body_excerpt_is_bounded()
    {
        var huge = "{\"Message\":\"" + new string('x', 100_000) + "\"}";
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync(huge, 400));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.MaxErrorBodyExcerpt = 200));

        var ex = await Assert.ThrowsAsync<EventsRequestException>(() => pipeline.GetItemsAsync());

        Assert.NotNull(ex.BodyExcerpt);
        Assert.True(ex.BodyExcerpt!.Length <= 201);
        Assert.True(ex.Message.Length < 600);
    }
}

/// <summary>Counts the requests that leave the client (whether or not a server answers).</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _count;

    public int Count => _count;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
