using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's <c>mock</c> part: prefix, credentials, dataset, enum rates and combinations.</summary>
internal sealed partial class ContractParser
{
    private MockSpec? ReadMock(YMapping node, List<SchemeEntry> schemes)
    {
        var reader = new MapReader(_context, node, "the mock", ContractKeys.Mock);
        var prefix = reader.Scalar("prefix", required: true);
        if (prefix is not null && (!prefix.Value.StartsWith("/", StringComparison.Ordinal) || prefix.Value.EndsWith("/", StringComparison.Ordinal) || prefix.Value.IndexOfAny(new[] { '?', '#', '{', ' ' }) >= 0))
        {
            _context.Error(DiagnosticIds.InvalidValue, "The mock prefix is a path that starts with '/' and does not end with one.", prefix);
        }

        var credentials = new List<MockCredentialSpec>();
        var accessKinds = new Dictionary<string, CredentialAccess>(StringComparer.Ordinal) { ["read"] = CredentialAccess.Read, ["none"] = CredentialAccess.None };
        foreach (var item in reader.Sequence("credentials")?.Items ?? new List<YNode>())
        {
            if (item is not YMapping credentialNode)
            {
                _context.Error(DiagnosticIds.WrongType, $"A credential is a mapping, not {item.KindName}.", item);
                continue;
            }

            var c = new MapReader(_context, credentialNode, "a mock credential", ContractKeys.MockCredential);
            var scheme = c.Scalar("scheme", required: true);
            var value = c.String("value", required: true);
            var access = c.Choice("access", accessKinds) ?? CredentialAccess.Read;
            if (scheme is not null && !schemes.Exists(s => s.Spec.Name == scheme.Value))
            {
                _context.Error(DiagnosticIds.UnknownScheme, $"'{MapReader.Truncate(scheme.Value)}' is not an auth scheme{Suggest.DidYouMean(scheme.Value, schemes.Select(s => s.Spec.Name))}.", scheme);
            }
            else if (scheme is not null && value is not null)
            {
                credentials.Add(new MockCredentialSpec(scheme.Value, value, access, c.String("description")));
            }
        }

        string? datasetModel = null;
        MockRatesSpec? rates = null;
        MockIdSpec? id = null;
        MockTimeSpec? time = null;
        if (reader.Map("dataset") is { } datasetNode)
        {
            var d = new MapReader(_context, datasetNode, "the mock dataset", ContractKeys.MockDataset);
            var modelNode = d.Scalar("model", required: true);
            var model = modelNode is null ? null : _models.Find(m => m.Name == modelNode.Value);
            if (modelNode is not null && model is null)
            {
                _context.Error(DiagnosticIds.UnknownType, $"The dataset model '{MapReader.Truncate(modelNode.Value)}' is not a model{Suggest.DidYouMean(modelNode.Value, _modelNames.Keys)}.", modelNode);
            }

            datasetModel = model?.Name;
            if (d.Map("id") is { } idNode)
            {
                var i = new MapReader(_context, idNode, "the dataset id", ContractKeys.MockDatasetId);
                var field = i.Scalar("field", required: true);
                CheckFieldPath(model, field, "the dataset id");
                var maxStep = i.Long("maxStep") ?? 1;
                if (maxStep < 1)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, "'maxStep' must be at least 1.", i.Node("maxStep")!);
                    maxStep = 1;
                }

                id = field is null ? null : new MockIdSpec(field.Value, i.Bool("uuid"), i.Long("start") ?? 1, maxStep);
            }

            if (d.Map("time") is { } timeNode)
            {
                var t = new MapReader(_context, timeNode, "the dataset time", ContractKeys.MockDatasetTime);
                var field = t.Scalar("field", required: true);
                CheckFieldPath(model, field, "the dataset time");
                var days = t.Long("days") ?? 30;
                if (days is < 1 or > 3650)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, "'days' must lie between 1 and 3650.", t.Node("days")!);
                    days = 30;
                }

                time = field is null ? null : new MockTimeSpec(field.Value, (int)days);
            }

            rates = ReadRates(d);
            _ = d.Node("provenance");
        }

        var enums = ReadMockEnums(reader.Map("enums"));

        var combinations = new List<MockCombination>();
        var datasetSpec = datasetModel is null ? null : _models.Find(m => m.Name == datasetModel);
        foreach (var item in reader.Sequence("combinations")?.Items ?? new List<YNode>())
        {
            if (item is not YMapping combinationNode)
            {
                _context.Error(DiagnosticIds.WrongType, $"A combination is a mapping of field paths to values, not {item.KindName}.", item);
                continue;
            }

            var values = new List<ParameterValue>();
            foreach (var entry in combinationNode.Entries)
            {
                CheckFieldPath(datasetSpec, entry.Key, "a mock combination");
                if (entry.Value is YScalar combinationValue && datasetSpec is not null && Resolve(datasetSpec, entry.Key.Value) is { } combinationPath)
                {
                    var target = combinationPath[combinationPath.Count - 1];
                    if (!(combinationValue.IsNull && target.Nullable))
                    {
                        CheckValueOfType(combinationValue, target.Type, caseInsensitive: false, $"the combination value of '{entry.Key.Value}'");
                    }
                }

                if (entry.Value is YScalar value)
                {
                    values.Add(new ParameterValue(entry.Key.Value, value.Value));
                }
                else
                {
                    _context.Error(DiagnosticIds.WrongType, $"The value of '{entry.Key.Value}' must be a scalar.", entry.Value);
                }
            }

            combinations.Add(new MockCombination(values.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray()));
        }

        return prefix is null ? null : new MockSpec(prefix.Value, credentials.ToEquatableArray(), datasetModel, id, time, combinations.ToEquatableArray(), rates, enums);
    }

    /// <summary>
    /// <c>mock.enums</c>: per enum, the rate of values it does not list and the rates of single listed
    /// values. EB1006 for an enum that does not exist, EB1005 for a value it does not list, EB1009 for
    /// rates beyond 0 to 1 or adding up to more than 1.
    /// </summary>
    private EquatableArray<MockEnumSpec> ReadMockEnums(YMapping? node)
    {
        if (node is null)
        {
            return EquatableArray<MockEnumSpec>.Empty;
        }

        var result = new List<MockEnumSpec>();
        foreach (var entry in node.Entries)
        {
            var e = _enums.Find(x => x.Name == entry.Key.Value);
            if (e is null)
            {
                _context.Error(DiagnosticIds.UnknownType, $"'{MapReader.Truncate(entry.Key.Value)}' under mock.enums is not an enum{Suggest.DidYouMean(entry.Key.Value, _enums.Select(x => x.Name))}.", entry.Key);
                continue;
            }

            if (entry.Value is not YMapping settings)
            {
                _context.Error(DiagnosticIds.WrongType, $"The mock settings of the enum '{e.Name}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var reader = new MapReader(_context, settings, $"the mock settings of the enum '{e.Name}'", ContractKeys.MockEnum);
            _ = _context.ReadProvenance(reader.Node("provenance"));
            var unknownRate = Rate(reader, "unknownRate") ?? 0;
            var values = new List<MockValueRate>();
            var total = unknownRate;
            foreach (var rate in reader.Map("rates")?.Entries ?? new List<KeyValuePair<YScalar, YNode>>())
            {
                if (e.IndexOf(rate.Key.Value) is var index && index < 0)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(rate.Key.Value)}' is not a value of the enum '{e.Name}'{Suggest.DidYouMean(rate.Key.Value, e.Values.Select(v => v.Value))}.", rate.Key);
                    continue;
                }

                if (rate.Value is not YScalar scalar || !double.TryParse(scalar.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r) || double.IsNaN(r) || r is < 0 or > 1)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, $"The rate of '{MapReader.Truncate(rate.Key.Value)}' is a probability between 0 and 1.", rate.Value);
                    continue;
                }

                values.Add(new MockValueRate(e.Values[index].Value, r));
                total += r;
            }

            if (total > 1 + 1e-9)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"The rates of the enum '{e.Name}' (unknownRate included) add up to more than 1.", entry.Key);
            }

            result.Add(new MockEnumSpec(e.Name, unknownRate, values.OrderBy(v => v.Value, StringComparer.Ordinal).ToEquatableArray()));
        }

        return result.OrderBy(x => x.Enum, StringComparer.Ordinal).ToEquatableArray();
    }
}
