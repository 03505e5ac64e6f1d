using System.Globalization;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>Beyond the page size maximum: the server refuses (or clamps) as the contract says.</summary>
internal static class BoundsCheck
{
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        run.CheckAsync($"{endpoint.Name}: page size above maximum", async ctx =>
        {
            var parameter = PageSizeParameter(endpoint);
            if (parameter?.Maximum is not { } max)
            {
                return (CheckStatus.Skip, "the contract declares no maximum page size");
            }

            if (!run.Options.NegativeChecks)
            {
                return (CheckStatus.Skip, "requests that must be refused are turned off");
            }

            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, (max + 1).ToString(CultureInfo.InvariantCulture)) }).ConfigureAwait(false);
            if (response.Code is < 400 or >= 500)
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={max + 1} (maximum {max}): expected 4xx, got {response.Code}");
            }

            return run.ErrorBody(endpoint, response, $"{parameter.WireName}={max + 1} rejected with {response.Code}");
        });
}
