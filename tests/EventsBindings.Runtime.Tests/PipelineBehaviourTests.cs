using System.Text;
using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using EventsBindings.Runtime.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class PipelineBehaviourTests
{
    [Fact]
    public async Task Cancellation_in_the_middle_of_a_page_propagates_and_is_not_retried()
    {
        var bodyStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("[{\"id\":1,\"at\":1,\"name\":\"a\"},");
            await c.Response.Body.FlushAsync();
            bodyStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { });
        });
        var pipeline = TestApi.Pipeline(server);
        using var cts = new CancellationTokenSource();

        var call = pipeline.GetItemsAsync(cts.Token);
        await bodyStarted.Task;
        cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotAssignableFrom<EventsRequestException>(ex);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Malformed_json_is_a_format_error_with_its_position_and_is_not_retried()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[{\"id\":1,\"at\":1,\"name\":\"a\"},{\"id\":"));
        var pipeline = TestApi.Pipeline(server);

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(() => pipeline.GetItemsAsync());

        Assert.Single(server.Requests);
        Assert.Equal(200, ex.Status);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task A_wrong_type_names_the_json_path_and_contract_field()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""{"data":[{"id":1,"at":1,"name":"a"},{"id":"two","at":2,"name":"b"}]}"""));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.Strictness = JsonStrictness.Strict));

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(() =>
            pipeline.SendAsync<IReadOnlyList<Item>>(TestApi.Get(), static body => JsonPayload.ReadList<Item>(body, "data", Item.Read), default));

        Assert.Equal("$.data[1].id", ex.JsonPath);
        Assert.Equal("Item.id", ex.Field);
        Assert.Contains("$.data[1].id", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("two", ex.Message.Split("Body:")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_field_is_reported()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("""[{"at":1,"name":"a"}]"""));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.Strictness = JsonStrictness.Strict));

        var ex = await Assert.ThrowsAsync<EventsResponseFormatException>(() => pipeline.GetItemsAsync());

        Assert.Equal("$[0]", ex.JsonPath);
        Assert.Equal("Item.id", ex.Field);
    }

    [Fact]
    public async Task Request_carries_path_query_headers_and_user_agent()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        var pipeline = TestApi.Pipeline(server, options: TestApi.FastOptions(o => o.UserAgent = "MyApp/2.0"));
        var request = new EventsRequest(HttpMethod.Get, "UserItems", "/users/{user}/items");
        request.AppendPath("/users/");
        request.AppendPathValue("a b/c");
        request.AppendPath("/items");
        request.AddQuery("email", "x+y@example.com|z@example.com");
        request.AddHeader("x-filter", "on");

        await pipeline.GetItemsAsync(request: request);

        var seen = Assert.Single(server.Requests);
        Assert.Equal("/api/users/a b/c/items", Uri.UnescapeDataString(seen.Path));
        Assert.Equal("?email=x%2By%40example.com%7Cz%40example.com", seen.Query);
        Assert.Equal("on", seen.Header("x-filter"));
        Assert.StartsWith("MyApp/2.0 EventsBindings.Runtime/", seen.Header("User-Agent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_scheme_sends_the_key_in_the_contract_header()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        await TestApi.Pipeline(server, new EventsKeyCredential("k1")).GetItemsAsync();

        var seen = Assert.Single(server.Requests);
        Assert.Equal("k1", seen.Header("x-test-key"));
        Assert.Null(seen.Header("Authorization"));
    }

    [Fact]
    public async Task Basic_scheme_sends_the_key_as_password()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        await TestApi.Pipeline(server, new EventsKeyCredential("k1"), TestApi.FastOptions(o => o.AuthScheme = "basic")).GetItemsAsync();

        var seen = Assert.Single(server.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":k1")), seen.Header("Authorization"));
    }

    [Fact]
    public async Task Bearer_scheme_sends_the_token()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        await TestApi.Pipeline(server, new EventsKeyCredential("k1"), TestApi.FastOptions(o => o.AuthScheme = "bearer")).GetItemsAsync();

        Assert.Equal("Bearer k1", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task The_credential_is_read_on_every_request()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("[]"));
        var key = "first";
        var pipeline = TestApi.Pipeline(server, new EventsKeyCredential(() => key));

        await pipeline.GetItemsAsync();
        key = "second";
        await pipeline.GetItemsAsync();

        Assert.Equal(new[] { "first", "second" }, server.Requests.Select(r => r.Header("x-test-key")));
    }

    [Fact]
    public void An_unknown_or_unfitting_scheme_is_rejected_at_construction()
    {
        var uri = new Uri("http://127.0.0.1:1/");
        Assert.Throws<ArgumentException>(() => new EventsPipeline(new HttpClient(), uri, new EventsKeyCredential("k"), TestApi.Descriptor, new EventsClientOptions { AuthScheme = "nope" }));
        Assert.Throws<ArgumentException>(() => new EventsPipeline(new HttpClient(), uri, new EventsKeyCredential("k"), TestApi.Descriptor, new EventsClientOptions { AuthScheme = "refresh" }));
        Assert.Throws<ArgumentException>(() => new EventsPipeline(new HttpClient(), uri, new RefreshTokenCredential("r"), TestApi.Descriptor, new EventsClientOptions { AuthScheme = "key" }));
        var p = new EventsPipeline(new HttpClient(), uri, new RefreshTokenCredential("r"), TestApi.Descriptor, new EventsClientOptions());
        Assert.Equal("refresh", p.AuthScheme.Name);
    }

    [Fact]
    public async Task Count_and_item_payloads_are_read()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.Request.Path.Value!.EndsWith("/count", StringComparison.Ordinal)
            ? c.WriteJsonAsync("""{"data": 1234, "ok": true}""")
            : c.WriteJsonAsync("""{"id":7,"at":8,"name":"seven","extra":[1,2]}"""));
        var pipeline = TestApi.Pipeline(server);

        var count = await pipeline.SendAsync(TestApi.Get("/items/count"), static body => JsonPayload.ReadCount(body, "data"), default);
        var item = await pipeline.SendAsync(TestApi.Get("/items/7"), static body => JsonPayload.ReadItem<Item>(body, null, Item.Read), default);

        Assert.Equal(1234, count.Value);
        Assert.Equal(200, count.GetRawResponse().Status);
        Assert.Equal(new Item(7, 8, "seven"), item.Value);
    }
}
