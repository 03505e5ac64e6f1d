using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>User policies added through <see cref="EventsClientOptions.AddPolicy"/>, against a real loopback server.</summary>
public sealed class PipelinePolicyTests
{
    private static readonly string TwoItems = TestApi.Json(TestApi.Items(1, 2));

    /// <summary>Fails the first two attempts with 503, then answers.</summary>
    private static Task<LoopbackServer> FlakyServerAsync() => LoopbackServer.StartAsync((c, n) =>
        n <= 2 ? c.WriteJsonAsync("""{"Message":"busy"}""", 503) : c.WriteJsonAsync(TwoItems));

    [Fact]
    public async Task A_per_call_policy_runs_once_and_its_header_is_sent_on_every_attempt()
    {
        await using var server = await FlakyServerAsync();
        var policy = new HeaderPolicy("x-policy", n => "call-" + n, onRequest: true);
        var options = TestApi.FastOptions();
        options.AddPolicy(policy, EventsPipelinePosition.PerCall);
        var pipeline = TestApi.Pipeline(server, options: options);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(1, policy.Invocations);
        Assert.Equal(new[] { "call-1", "call-1", "call-1" }, server.Requests.Select(r => r.Header("x-policy")));
        Assert.Equal(new[] { 0 }, policy.Attempts);
    }

    [Fact]
    public async Task A_per_call_policys_query_parameter_is_sent_on_every_attempt()
    {
        await using var server = await FlakyServerAsync();
        var options = TestApi.FastOptions();
        options.AddPolicy(new QueryPolicy("tenant", "t-7"), EventsPipelinePosition.PerCall);
        var pipeline = TestApi.Pipeline(server, options: options);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(new[] { "?tenant=t-7", "?tenant=t-7", "?tenant=t-7" }, server.Requests.Select(r => r.Query));
    }

    [Fact]
    public async Task A_per_retry_policy_runs_on_every_attempt_and_sees_each_response()
    {
        await using var server = await FlakyServerAsync();
        var policy = new HeaderPolicy("x-policy", n => "attempt-" + n, onRequest: false);
        var options = TestApi.FastOptions();
        options.AddPolicy(policy, EventsPipelinePosition.PerRetry);
        var pipeline = TestApi.Pipeline(server, options: options);

        var items = await pipeline.GetItemsAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal(3, policy.Invocations);
        Assert.Equal(new[] { "attempt-1", "attempt-2", "attempt-3" }, server.Requests.Select(r => r.Header("x-policy")));
        Assert.Equal(new[] { 1, 2, 3 }, policy.Attempts);
        Assert.Equal(new[] { 503, 503, 200 }, policy.Statuses);

        // Per retry means after authentication: the attempt's message already carries the credential.
        Assert.All(policy.SawCredential, Assert.True);
    }

    [Fact]
    public async Task Policies_of_one_position_run_in_the_order_added()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync(TwoItems));
        var order = new List<string>();
        var options = TestApi.FastOptions();
        options.AddPolicy(new RecordingPolicy("first", order), EventsPipelinePosition.PerCall);
        options.AddPolicy(new RecordingPolicy("inner", order), EventsPipelinePosition.PerRetry);
        options.AddPolicy(new RecordingPolicy("second", order), EventsPipelinePosition.PerCall);
        var pipeline = TestApi.Pipeline(server, options: options);

        await pipeline.GetItemsAsync();

        Assert.Equal(new[] { "first>", "second>", "inner>", "<inner", "<second", "<first" }, order);
    }

    [Fact]
    public async Task A_policy_added_after_the_client_is_built_does_not_change_it()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync(TwoItems));
        var options = TestApi.FastOptions();
        var pipeline = TestApi.Pipeline(server, options: options);
        var late = new HeaderPolicy("x-policy", n => "late", onRequest: true);
        options.AddPolicy(late, EventsPipelinePosition.PerCall);

        await pipeline.GetItemsAsync();

        Assert.Equal(0, late.Invocations);
        Assert.Null(server.Requests.Single().Header("x-policy"));
    }

    [Fact]
    public async Task A_per_retry_policy_that_skips_the_send_fails_the_call_plainly()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync(TwoItems));
        var options = TestApi.FastOptions();
        options.AddPolicy(new SwallowingPolicy(), EventsPipelinePosition.PerRetry);
        var pipeline = TestApi.Pipeline(server, options: options);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.GetItemsAsync());

        Assert.Contains("per-retry", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_per_retry_policy_failure_that_echoes_the_credential_is_transient_and_scrubbed()
    {
        const string Secret = "policy-visible-secret-0123456789";
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync(TwoItems));
        var options = TestApi.FastOptions();
        options.AddPolicy(new EchoingFailurePolicy(), EventsPipelinePosition.PerRetry);
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential(Secret), options);

        var ex = await Assert.ThrowsAsync<EventsConnectionException>(() => pipeline.GetItemsAsync());

        Assert.Contains("4 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("***", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void AddPolicy_rejects_null_and_unknown_positions()
    {
        var options = new EventsClientOptions();

        Assert.Throws<ArgumentNullException>(() => options.AddPolicy(null!, EventsPipelinePosition.PerCall));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.AddPolicy(new SwallowingPolicy(), (EventsPipelinePosition)7));
    }

    /// <summary>Adds a header whose value says how often the policy ran; records what it saw.</summary>
    private sealed class HeaderPolicy(string name, Func<int, string> value, bool onRequest) : EventsPipelinePolicy
    {
        public int Invocations { get; private set; }

        public List<int> Attempts { get; } = new();

        public List<int> Statuses { get; } = new();

        public List<bool> SawCredential { get; } = new();

        public override async ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next)
        {
            Invocations++;
            Attempts.Add(message.Attempt);
            if (onRequest)
            {
                message.Request.AddHeader(name, value(Invocations));
            }
            else
            {
                var http = message.HttpRequest!;
                SawCredential.Add(http.Headers.Contains("x-test-key"));
                http.Headers.TryAddWithoutValidation(name, value(message.Attempt));
            }

            await next();
            if (message.Response is { } response)
            {
                Statuses.Add((int)response.StatusCode);
            }
        }
    }

    /// <summary>Adds a query parameter to the call's request.</summary>
    private sealed class QueryPolicy(string name, string value) : EventsPipelinePolicy
    {
        public override async ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next)
        {
            message.Request.AddQuery(name, value);
            await next();
        }
    }

    private sealed class RecordingPolicy(string name, List<string> order) : EventsPipelinePolicy
    {
        public override async ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next)
        {
            order.Add(name + ">");
            await next();
            order.Add("<" + name);
        }
    }

    /// <summary>Fails every attempt with a message quoting the credential header, as a careless handler might.</summary>
    private sealed class EchoingFailurePolicy : EventsPipelinePolicy
    {
        public override ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next) =>
            throw new HttpRequestException("refused with key " + string.Join(",", message.HttpRequest!.Headers.GetValues("x-test-key")));
    }

    private sealed class SwallowingPolicy : EventsPipelinePolicy
    {
        public override ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next) => default;
    }
}
