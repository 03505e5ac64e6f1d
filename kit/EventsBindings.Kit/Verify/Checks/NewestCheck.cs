using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A newest-N parameter: the N newest items, newest last or first as the contract says.</summary>
internal static class NewestCheck
{
    /// <summary>
    /// A newest-N parameter: N items (when the sample holds at least N), the last N of the natural order
    /// (none of them older than the N-th newest sampled item), in reverse.
    /// </summary>
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        run.CheckAsync($"{endpoint.Name}: newest {parameter.WireName} (newestN)", async ctx =>
        {
            var fieldName = parameter.Semantics.Field ?? endpoint.Order?.Field;
            var model = run.ResponseModel(endpoint);
            if (fieldName is null || model is null || run.Field(model, fieldName) is not { } field)
            {
                return (CheckStatus.Skip, "the contract names no field or natural order that tells the newest");
            }

            var ascending = endpoint.Order?.Direction != SortDirection.Descending;
            var n = (int)Math.Clamp(3, parameter.Minimum ?? 1, parameter.Maximum ?? int.MaxValue);
            var sampled = run.Samples[endpoint.Name].Select(i => ItemValues.At(i, fieldName)).Where(v => v is not null).Select(v => v!.Value).ToList();
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, Num(n)) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = run.Items(endpoint, response.Body);
            if (items.Count > n || (sampled.Count >= n && items.Count != n))
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={n}: {items.Count} items, expected {n}");
            }

            if (OutOfOrder(items, fieldName, field, !ascending) is { } problem)
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={n}: not newest first: {problem}");
            }

            if (sampled.Count >= n)
            {
                // Sorted newest first: the n-th is a floor that the true newest n all reach.
                sampled.Sort((a, b) => (ItemValues.CompareItems(b, a, field) ?? 0) * (ascending ? 1 : -1));
                var floor = sampled[n - 1];
                var older = items.FindIndex(i => ItemValues.At(i, fieldName) is not { } v || (ItemValues.CompareItems(v, floor, field) ?? 0) * (ascending ? 1 : -1) < 0);
                if (older >= 0)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={n}: item {older} is older by {fieldName} than {n} sampled items ({ItemValues.Text(floor)})");
                }
            }

            return (CheckStatus.Pass, $"{parameter.WireName}={n}: {items.Count} items, the newest by {fieldName}, newest first");
        });
}
