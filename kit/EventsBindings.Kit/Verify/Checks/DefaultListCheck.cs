using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>The default request of a list endpoint (it also samples the items the other checks learn from), and its default page size.</summary>
internal static class DefaultListCheck
{
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        run.CheckAsync($"{endpoint.Name}: default request", async ctx =>
        {
            var response = await ctx.SendAsync(endpoint, pathValues, Array.Empty<(string, string)>()).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = run.Items(endpoint, response.Body);
            run.Samples[endpoint.Name] = items; // kept even when the body departs from the model: the other checks still learn from it
            run.SampleTimes[endpoint.Name] = response.Date ?? DateTimeOffset.UtcNow;
            if (ctx.LastErrors.Count > 0)
            {
                return (CheckStatus.Fail, $"the body does not match the contract: {string.Join("; ", ctx.LastErrors.Take(3))}");
            }

            var model = run.ResponseModel(endpoint);
            if (model is not null && endpoint.Order is { } order && run.Field(model, order.Field) is { } orderField
                && OutOfOrder(items, order.Field, orderField, order.Direction == SortDirection.Ascending) is { } problem)
            {
                return (CheckStatus.Fail, problem);
            }

            foreach (var parameter in endpoint.Parameters.Where(p => p.In == ParameterLocation.Path && p.Semantics.Kind == SemanticsKind.EqualTo && p.Semantics.Field is not null))
            {
                var value = pathValues[parameter.WireName];
                var ci = run.Contract.MatchesIgnoringCase(parameter, model is null ? null : run.Field(model, parameter.Semantics.Field!)?.Type);
                var bad = items.FindIndex(item => ItemValues.At(item, parameter.Semantics.Field!) is not { } v || !ItemValues.SameText(ItemValues.Text(v), value, ci));
                if (bad >= 0)
                {
                    return (CheckStatus.Fail, $"item {bad} has {parameter.Semantics.Field} ≠ {value} (path parameter {parameter.WireName})");
                }
            }

            return (CheckStatus.Pass, items.Count == 0
                ? "200 with no items: the checks that sample items have nothing to work with"
                : $"{items.Count} items conform to {ResponseModelName(endpoint)}{(endpoint.Order is null ? string.Empty : $", in {endpoint.Order.Direction.ToString().ToLowerInvariant()} order of {endpoint.Order.Field}")}");
        });

    internal static void PageSize(VerifierRun run, EndpointSpec endpoint, List<JsonElement> items)
    {
        var name = $"{endpoint.Name}: default page size";
        var parameter = PageSizeParameter(endpoint);
        if (parameter?.Default is null || !int.TryParse(parameter.Default, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            run.Add(name, CheckStatus.Skip, "the contract declares no default page size", Array.Empty<string>(), TimeSpan.Zero);
            return;
        }

        run.Add(name, items.Count <= size ? CheckStatus.Pass : CheckStatus.Fail,
            items.Count <= size ? $"{items.Count} items ≤ the default {parameter.WireName}={size}{(items.Count == size ? " (a full page)" : string.Empty)}" : $"{items.Count} items > the default {parameter.WireName}={size}",
            Array.Empty<string>(), TimeSpan.Zero);
    }
}
