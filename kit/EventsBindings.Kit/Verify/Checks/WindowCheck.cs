using System.Text.Json;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A relative time window parameter: the items fall within the window.</summary>
internal static class WindowCheck
{
    /// <summary>
    /// A relative window (the last N units before now): N is half the age of the oldest sampled item, so
    /// that a server ignoring the parameter returns items outside it. "Now" is the server's <c>Date</c>
    /// header; one unit of slack allows servers that count whole units (calendar days).
    /// </summary>
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        run.CheckAsync($"{endpoint.Name}: filter {parameter.WireName} (relativeWindow)", async ctx =>
        {
            var semantics = parameter.Semantics;
            var model = run.ResponseModel(endpoint);
            if (model is null || run.Field(model, semantics.Field!) is not { Type.Kind: TypeKind.Timestamp } field)
            {
                return (CheckStatus.Skip, $"{semantics.Field} is not a timestamp of the item model");
            }

            var unit = semantics.Unit switch
            {
                WindowUnit.Days => TimeSpan.FromDays(1),
                WindowUnit.Hours => TimeSpan.FromHours(1),
                _ => TimeSpan.FromMinutes(1),
            };
            var unitName = semantics.Unit.ToString().ToLowerInvariant();
            DateTime? InstantOf(JsonElement item) => ItemValues.At(item, semantics.Field!) is { } v ? ItemValues.Instant(v, field.Type.Encoding) : null;

            var sampledAt = run.SampleTimes.TryGetValue(endpoint.Name, out var t) ? t.UtcDateTime : DateTime.UtcNow;
            var ages = run.Samples[endpoint.Name].Select(InstantOf).Where(i => i is not null).Select(i => (sampledAt - i!.Value) / unit).ToList();
            if (ages.Count == 0)
            {
                return (CheckStatus.Skip, $"no sampled item has a value at {semantics.Field}");
            }

            var n = Math.Clamp((long)Math.Floor(ages.Max() / 2), parameter.Minimum ?? 1, parameter.Maximum ?? long.MaxValue);
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, Num(n)) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var now = (response.Date ?? DateTimeOffset.UtcNow).UtcDateTime;
            var oldest = now - (unit * (n + 1));
            var items = run.Items(endpoint, response.Body);
            var bad = items.FindIndex(i => InstantOf(i) is not { } instant || instant < oldest);
            if (bad >= 0)
            {
                var actual = ItemValues.At(items[bad], semantics.Field!) is { } v ? ItemValues.Text(v) : "(absent)";
                return (CheckStatus.Fail, $"item {bad} has {semantics.Field}={Shorten(actual)}, outside the last {n} {unitName} before the server's time {now:u} (one unit of slack)");
            }

            if (items.Count == 0 && ages.Any(a => a < n - 1))
            {
                return (CheckStatus.Fail, $"no items, though sampled items have {semantics.Field} within the last {n - 1} {unitName}");
            }

            return (CheckStatus.Pass, $"{parameter.WireName}={n}: {items.Count} items, all with {semantics.Field} within the last {n} {unitName} before {now:u}");
        });
}
