using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A sort-order parameter: each value returns the items in its direction.</summary>
internal static class SortOrderCheck
{
    /// <summary>A sort-order parameter: each of its values returns the items in its direction of the field.</summary>
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        run.CheckAsync($"{endpoint.Name}: order {parameter.WireName} (sortOrder)", async ctx =>
        {
            var semantics = parameter.Semantics;
            var fieldName = semantics.Field ?? endpoint.Order?.Field;
            var model = run.ResponseModel(endpoint);
            if (fieldName is null || model is null || run.Field(model, fieldName) is not { } field || semantics.Ascending is null || semantics.Descending is null)
            {
                return (CheckStatus.Skip, "the contract names no field or no ascending/descending values for it");
            }

            var seen = new List<string>();
            foreach (var (value, ascending) in new[] { (semantics.Ascending, true), (semantics.Descending, false) })
            {
                var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, value) }).ConfigureAwait(false);
                if (response.Code != 200)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={value}: expected 200, got {response.Code}: {Snippet(response.Body)}");
                }

                var items = run.Items(endpoint, response.Body);
                if (OutOfOrder(items, fieldName, field, ascending) is { } problem)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={value}: {problem}");
                }

                seen.Add($"{parameter.WireName}={value}: {items.Count} items {(ascending ? "ascending" : "descending")}");
            }

            return (CheckStatus.Pass, $"{string.Join("; ", seen)} by {fieldName}");
        });
}
