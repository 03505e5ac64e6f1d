using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>An offset parameter: skipping one item shifts the sample by one.</summary>
internal static class OffsetCheck
{
    /// <summary>An offset parameter: skipping one item returns the sample shifted by one.</summary>
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        run.CheckAsync($"{endpoint.Name}: offset {parameter.WireName} (offset)", async ctx =>
        {
            var samples = run.Samples[endpoint.Name];
            if (samples.Count < 3)
            {
                return (CheckStatus.Skip, $"the default request returned {samples.Count} items; 3 are needed");
            }

            var identity = run.IdentityField(endpoint);
            var parameters = new List<(string, string)> { (parameter.WireName, "1") };
            var size = PageSizeParameter(endpoint);
            if (size is not null)
            {
                parameters.Add((size.WireName, "2"));
            }

            var response = await ctx.SendAsync(endpoint, pathValues, parameters).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var got = run.Items(endpoint, response.Body).Select(i => Identity(i, identity)).ToList();
            var expected = samples.Skip(1).Select(i => Identity(i, identity)).Take(size is null ? int.MaxValue : 2).ToList();
            var compared = Math.Min(got.Count, expected.Count);
            if (got.Count == 0 || !got.Take(compared).SequenceEqual(expected.Take(compared), StringComparer.Ordinal))
            {
                return (CheckStatus.Fail, $"{parameter.WireName}=1 returned {(got.Count == 0 ? "nothing" : Shorten(got[0]))} first; the default request's second item is {Shorten(expected[0])}");
            }

            return (CheckStatus.Pass, $"{parameter.WireName}=1: {got.Count} items, the default request's from its second on ({identity ?? "whole item"})");
        });
}
