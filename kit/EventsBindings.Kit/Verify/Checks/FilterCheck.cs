using System.Text.Json;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A filter parameter (equalTo, oneOf, atLeast, greaterThan, lessThan, cursorStart): values taken from the sample select exactly what the contract says.</summary>
internal static class FilterCheck
{
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter)
    {
        var semantics = parameter.Semantics;
        var kind = semantics.Kind == SemanticsKind.EqualTo ? "equals" : JsonCamel(semantics.Kind.ToString());
        return run.CheckAsync($"{endpoint.Name}: filter {parameter.WireName} ({kind})", async ctx =>
        {
            var model = run.ResponseModel(endpoint);
            var field = model is null ? null : run.Field(model, semantics.Field!);
            if (field is null)
            {
                return (CheckStatus.Skip, $"the item model has no field {semantics.Field}");
            }

            var samples = run.Samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            var candidates = samples
                .Select(item => ItemValues.At(item, semantics.Field!))
                .Where(v => v is { } x && (x.ValueKind != JsonValueKind.String || x.GetString()!.Length > 0))
                .Select(v => v!.Value)
                .ToList();
            if (candidates.Count == 0)
            {
                return (CheckStatus.Skip, $"no sampled item has a value at {semantics.Field}");
            }

            var ci = run.Contract.MatchesIgnoringCase(parameter, field.Type);
            EnumSpec? ordered = semantics.Kind == SemanticsKind.AtLeast && field.Type.Kind == TypeKind.Enum ? run.Contract.FindEnum(field.Type.Name!) : null;
            string value;
            List<string> values;
            string operation;
            switch (semantics.Kind)
            {
                case SemanticsKind.OneOf:
                    values = candidates.Select(c => ItemValues.ParameterText(c, field, parameter.Type) ?? string.Empty)
                        .Where(t => t.Length > 0 && (parameter.Separator is null || !t.Contains(parameter.Separator, StringComparison.Ordinal)))
                        .Distinct(ci ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).Take(2).ToList();
                    if (values.Count == 0)
                    {
                        return (CheckStatus.Skip, $"no sampled value of {semantics.Field} can be sent");
                    }

                    value = string.Join(parameter.Separator ?? ",", values);
                    operation = "is one of";
                    break;
                case SemanticsKind.AtLeast:
                    if (ordered is null)
                    {
                        return (CheckStatus.Skip, $"{semantics.Field} is not an ordered enum");
                    }

                    var known = candidates.Select(ItemValues.Text).Where(t => ordered.IndexOf(t) >= 0).OrderBy(t => ordered.IndexOf(t)).ToList();
                    if (known.Count == 0)
                    {
                        return (CheckStatus.Skip, $"no sampled value of {semantics.Field} is a known {ordered.Name}");
                    }

                    value = known[known.Count / 2];
                    values = new List<string> { value };
                    operation = "is at least";
                    break;
                case SemanticsKind.GreaterThan:
                case SemanticsKind.LessThan:
                case SemanticsKind.CursorStart:
                    var sorted = candidates.ToList();
                    sorted.Sort((a, b) => ItemValues.CompareItems(a, b, field) ?? 0);
                    var middle = sorted[sorted.Count / 2];
                    value = ItemValues.ParameterText(middle, field, parameter.Type) ?? ItemValues.Text(middle);
                    values = new List<string> { value };
                    operation = semantics.Kind switch
                    {
                        SemanticsKind.GreaterThan => semantics.Inclusive ? "≥" : ">",
                        SemanticsKind.LessThan => semantics.Inclusive ? "≤" : "<",
                        _ => "≥",
                    };
                    break;
                default:
                    value = ItemValues.ParameterText(candidates[0], field, parameter.Type) ?? ItemValues.Text(candidates[0]);
                    values = new List<string> { value };
                    operation = "=";
                    break;
            }

            bool Satisfies(JsonElement item)
            {
                if (ItemValues.At(item, semantics.Field!) is not { } v)
                {
                    return false;
                }

                switch (semantics.Kind)
                {
                    case SemanticsKind.EqualTo:
                    case SemanticsKind.OneOf:
                        var text = ItemValues.Text(v);
                        return values.Any(x => ItemValues.SameText(text, x, ci));
                    case SemanticsKind.AtLeast:
                        var index = ordered!.IndexOf(ItemValues.Text(v));
                        return index >= 0 && index >= ordered.IndexOf(value);
                    default:
                        var cmp = ItemValues.Compare(v, field, value, parameter.Type);
                        return cmp is { } c && semantics.Kind switch
                        {
                            SemanticsKind.GreaterThan => semantics.Inclusive ? c >= 0 : c > 0,
                            SemanticsKind.LessThan => semantics.Inclusive ? c <= 0 : c < 0,
                            _ => c >= 0,
                        };
                }
            }

            var expectSome = samples.Any(Satisfies);
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, value) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = run.Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !Satisfies(i));
            if (bad >= 0)
            {
                var actual = ItemValues.At(items[bad], semantics.Field!) is { } v ? ItemValues.Text(v) : "(absent)";
                return (CheckStatus.Fail, $"item {bad} has {semantics.Field}={Shorten(actual)}, which does not satisfy {semantics.Field} {operation} {Shorten(value)}");
            }

            if (expectSome && items.Count == 0)
            {
                return (CheckStatus.Fail, $"no items, though sampled items have {semantics.Field} {operation} {Shorten(value)}");
            }

            return (CheckStatus.Pass, $"{items.Count} items, all with {semantics.Field} {operation} {Shorten(value)}");
        });
    }
}
