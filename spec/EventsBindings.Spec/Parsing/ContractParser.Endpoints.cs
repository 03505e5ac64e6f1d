// One file of about 470 lines on purpose: an endpoint is read and then checked against its own parameters, response, paging and sync; those cross-checks need the whole endpoint at hand (parameters, errors and paging have their own files).
using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

internal sealed partial class ContractParser
{
    private static readonly Dictionary<string, ParameterLocation> Locations = new(StringComparer.Ordinal)
    {
        ["query"] = ParameterLocation.Query,
        ["header"] = ParameterLocation.Header,
        ["queryOrHeader"] = ParameterLocation.QueryOrHeader,
        ["path"] = ParameterLocation.Path,
    };

    private static readonly Dictionary<string, SemanticsKind> SemanticsKinds = new(StringComparer.Ordinal)
    {
        ["equals"] = SemanticsKind.EqualTo,
        ["oneOf"] = SemanticsKind.OneOf,
        ["greaterThan"] = SemanticsKind.GreaterThan,
        ["lessThan"] = SemanticsKind.LessThan,
        ["atLeast"] = SemanticsKind.AtLeast,
        ["relativeWindow"] = SemanticsKind.RelativeWindow,
        ["cursorStart"] = SemanticsKind.CursorStart,
        ["newestN"] = SemanticsKind.NewestN,
        ["offset"] = SemanticsKind.Offset,
        ["pageSize"] = SemanticsKind.PageSize,
        ["sortOrder"] = SemanticsKind.SortOrder,
        ["opaque"] = SemanticsKind.Opaque,
        ["scim"] = SemanticsKind.Scim,
        ["keywords"] = SemanticsKind.Keywords,
        ["pageToken"] = SemanticsKind.PageToken,
    };

    private static readonly Dictionary<string, bool> OpaqueMockChoices = new(StringComparer.Ordinal)
    {
        ["reject"] = false,
        ["ignore"] = true,
    };

    private static readonly Dictionary<string, WindowUnit> Units = new(StringComparer.Ordinal)
    {
        ["days"] = WindowUnit.Days,
        ["hours"] = WindowUnit.Hours,
        ["minutes"] = WindowUnit.Minutes,
    };

    private static readonly Dictionary<string, string> Methods = new(StringComparer.Ordinal)
    {
        ["GET"] = "GET",
        ["POST"] = "POST",
        ["PUT"] = "PUT",
        ["PATCH"] = "PATCH",
        ["DELETE"] = "DELETE",
    };

    /// <summary>A parameter as read, with the nodes needed to locate problems found per endpoint.</summary>
    private sealed record ParameterEntry(ParameterSpec Spec, YMapping Node, YNode? SemanticsFieldNode, IReadOnlyList<YScalar> IgnoredWhenNodes, bool UnknownLocation, YScalar? RelativeToNode = null)
    {
        /// <summary>The nodes of a scim parameter's <c>attributes</c> or a keywords parameter's <c>fields</c>.</summary>
        public IReadOnlyList<YScalar> PathNodes { get; init; } = Array.Empty<YScalar>();
    }

    private List<EndpointSpec> ReadEndpoints(YSequence? sequence, Dictionary<string, (YMapping Node, ParameterEntry? Entry)> shared, EquatableArray<string> defaultSecurity, List<SchemeEntry> schemes)
    {
        var result = new List<EndpointSpec>();
        if (sequence is null)
        {
            return result;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in sequence.Items)
        {
            if (item is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"An endpoint is a mapping, not {item.KindName}.", item);
                continue;
            }

            var endpoint = ReadEndpoint(node, shared, defaultSecurity, schemes);
            if (endpoint is null)
            {
                continue;
            }

            if (!names.Add(endpoint.Name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The endpoint '{endpoint.Name}' is declared twice.", node.Find("name") ?? node);
                continue;
            }

            if (!routes.Add(endpoint.Method + " " + endpoint.Path))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"Two endpoints answer {endpoint.Method} {endpoint.Path}.", node.Find("path") ?? node);
                continue;
            }

            result.Add(endpoint);
        }

        return result;
    }

    private EndpointSpec? ReadEndpoint(YMapping node, Dictionary<string, (YMapping Node, ParameterEntry? Entry)> shared, EquatableArray<string> defaultSecurity, List<SchemeEntry> schemes)
    {
        var reader = new MapReader(_context, node, "an endpoint", ContractKeys.Endpoint);
        var name = ReadIdentifier(reader, "name", required: true);
        var what = name is null ? "an endpoint" : $"the endpoint '{name}'";
        var methodNode = reader.Scalar("method", required: true);
        string? method = null;
        if (methodNode is not null && !Methods.TryGetValue(methodNode.Value, out method))
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(methodNode.Value)}' is not an HTTP method; expected one of {string.Join(", ", Methods.Keys)}{Suggest.DidYouMean(methodNode.Value, Methods.Keys)}.", methodNode);
            method = methodNode.Value;
        }

        var pathNode = reader.Scalar("path", required: true);
        var security = reader.Has("security") ? ReadSecurity(reader, "security", schemes, required: false) : defaultSecurity;

        // Parameters: names of shared ones, or inline definitions.
        var parameters = new List<ParameterEntry>();
        foreach (var item in reader.Sequence("parameters")?.Items ?? new List<YNode>())
        {
            ParameterEntry? entry = null;
            if (item is YScalar reference && !reference.IsNull)
            {
                if (shared.TryGetValue(reference.Value, out var found))
                {
                    entry = found.Entry;
                }
                else
                {
                    _context.Error(DiagnosticIds.UnknownParameter, $"'{MapReader.Truncate(reference.Value)}' is not a shared parameter{Suggest.DidYouMean(reference.Value, shared.Keys)}.", reference);
                }
            }
            else if (item is YMapping inline)
            {
                entry = ReadParameter(inline, null, inline);
            }
            else
            {
                _context.Error(DiagnosticIds.WrongType, $"A parameter of {what} is a shared parameter's name or a mapping, not {item.KindName}.", item);
            }

            if (entry is null)
            {
                continue;
            }

            if (parameters.Exists(p => p.Spec.WireName == entry.Spec.WireName))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The parameter '{entry.Spec.WireName}' appears twice in {what}.", item);
                continue;
            }

            if (parameters.Exists(p => p.Spec.CSharpName == entry.Spec.CSharpName))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The C# name '{entry.Spec.CSharpName}' appears twice among the parameters of {what}.", item);
                continue;
            }

            parameters.Add(entry);
        }

        if (pathNode is not null)
        {
            CheckPath(pathNode, parameters, what);
        }

        var response = ReadResponse(reader.Map("response", required: true), what);
        var itemModel = response?.Model is { } modelName ? _models.Find(m => m.Name == modelName) : null;
        foreach (var parameter in parameters)
        {
            CheckParameterAgainstEndpoint(parameter, parameters, itemModel, what);
        }

        var order = reader.Map("order") is { } orderNode ? ReadOrder(orderNode, itemModel, what) : null;
        if (response?.Kind == ResponseKind.List && order is null && !reader.Has("order"))
        {
            _context.Error(DiagnosticIds.MissingKey, $"{Capitalize(what)} lists items and needs an 'order' (their natural order).", node);
        }

        var pagination = reader.Map("pagination") is { } paginationNode ? ReadPagination(paginationNode, parameters, itemModel, what, response) : null;
        CheckPageTokenParameters(parameters, pagination, what);
        var syncNode = reader.Map("sync");
        var sync = syncNode is not null ? ReadSync(syncNode, parameters, itemModel, what) : null;
        if (sync is not null && syncNode is not null)
        {
            CheckSyncAgainstEndpoint(sync, syncNode, response, pagination, parameters, what);
        }

        var errors = ReadErrors(reader.Sequence("errors"), $"the errors of {what}");
        var (examples, exampleRequests) = ReadExamples(reader.Sequence("examples"), response, what, parameters, pathNode?.Value, errors);

        if (name is null || method is null || pathNode is null || response is null)
        {
            return null;
        }

        return new EndpointSpec(
            name,
            method,
            pathNode.Value,
            reader.String("summary"),
            reader.String("description"),
            _context.ReadProvenance(reader.Node("provenance")),
            security,
            parameters.Select(p => p.Spec).ToEquatableArray(),
            response,
            order,
            pagination,
            sync,
            errors,
            examples,
            exampleRequests);
    }

    /// <summary>
    /// What the generated export needs of the endpoint: a list, a page size it can send (a page shorter than
    /// the one asked for is the last), and for a time cursor an offset to page by (its start stays fixed
    /// within a run; without an offset every request would fetch the same page).
    /// </summary>
    private void CheckSyncAgainstEndpoint(SyncSpec sync, YMapping syncNode, ResponseSpec? response, PaginationSpec? pagination, List<ParameterEntry> parameters, string what)
    {
        var at = (YNode?)syncNode.Find("strategy") ?? syncNode;
        if (response is not null && response.Kind != ResponseKind.List)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"A sync reads pages of items; {what} does not list items.", at);
            return;
        }

        if (sync.Strategy == SyncStrategy.NextLink)
        {
            if (pagination is not null && pagination.Strategy != PaginationStrategy.NextLink)
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"A nextLink sync stores the next link of the last delivered page; {what} needs 'pagination: {{ strategy: nextLink, ... }}'.", at);
            }
            else if (pagination is null)
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"A nextLink sync stores the next link of the last delivered page; {what} declares no pagination (needs 'pagination: {{ strategy: nextLink, ... }}').", at);
            }

            return;
        }

        if (pagination?.PageSizeParameter is null && !parameters.Exists(p => p.Spec.Semantics.Kind == SemanticsKind.PageSize && p.Spec.In != ParameterLocation.Path))
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"The sync of {what} needs a page-size parameter (semantics 'pageSize') to tell a last page from a full one.", at);
        }

        if (sync.Strategy == SyncStrategy.TimeCursor && pagination?.Strategy != PaginationStrategy.Offset)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"A timeCursor sync keeps its start fixed within a run and pages by offset; {what} needs 'pagination: {{ strategy: offset, offset: <parameter> }}'.", at);
        }
    }

    private void CheckPath(YScalar pathNode, List<ParameterEntry> parameters, string what)
    {
        var path = pathNode.Value;
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            _context.Error(DiagnosticIds.InvalidValue, $"The path of {what} must start with '/'.", pathNode);
            return;
        }

        var placeholders = new List<string>();
        var index = 0;
        while ((index = path.IndexOf('{', index)) >= 0)
        {
            var end = path.IndexOf('}', index);
            if (end < 0)
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The path of {what} has an unclosed '{{'.", pathNode);
                return;
            }

            placeholders.Add(path.Substring(index + 1, end - index - 1));
            index = end + 1;
        }

        foreach (var placeholder in placeholders)
        {
            if (!parameters.Exists(p => p.Spec.WireName == placeholder && (p.Spec.In == ParameterLocation.Path || p.UnknownLocation)))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The path placeholder '{{{placeholder}}}' of {what} has no parameter with 'in: path'.", pathNode);
            }
        }

        foreach (var parameter in parameters)
        {
            if (parameter.Spec.In == ParameterLocation.Path && !parameter.UnknownLocation && !placeholders.Contains(parameter.Spec.WireName))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The path parameter '{parameter.Spec.WireName}' does not appear in the path '{path}' of {what}.", parameter.Node);
            }
        }
    }

    private void CheckParameterAgainstEndpoint(ParameterEntry parameter, List<ParameterEntry> all, ModelSpec? itemModel, string what)
    {
        var spec = parameter.Spec;
        CheckRelativeDefault(parameter, all, what);
        foreach (var other in parameter.IgnoredWhenNodes)
        {
            if (other.Value != spec.WireName && !all.Exists(p => p.Spec.WireName == other.Value))
            {
                _context.Error(DiagnosticIds.UnknownEndpointParameter, $"'ignoredWhen' of '{spec.WireName}' names '{MapReader.Truncate(other.Value)}', which {what} lacks{Suggest.DidYouMean(other.Value, all.Select(p => p.Spec.WireName))}.", other);
            }
        }

        if (spec.Semantics.Kind is SemanticsKind.NewestN or SemanticsKind.Offset or SemanticsKind.PageSize && spec.In == ParameterLocation.Path && !parameter.UnknownLocation)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"The paging parameter '{spec.WireName}' of {what} travels in the query or a header, not in the path.", parameter.Node.Find("in") ?? (YNode)parameter.Node);
        }

        if (spec.Semantics.Kind is SemanticsKind.Scim or SemanticsKind.Keywords && itemModel is not null)
        {
            CheckFilterPaths(parameter, itemModel, what);
        }

        if (spec.Semantics.Field is not { } path || itemModel is null)
        {
            return;
        }

        var fields = Resolve(itemModel, path);
        var location = parameter.SemanticsFieldNode ?? parameter.Node;
        if (fields is null)
        {
            _context.Error(DiagnosticIds.UnknownField, $"The parameter '{spec.WireName}' acts on '{path}', which the model '{itemModel.Name}' lacks ({what}){SuggestPath(itemModel, path)}.", location);
            return;
        }

        var field = fields[fields.Count - 1];
        if (IsUnresolved(field.Type) || IsUnresolved(spec.Type))
        {
            return;
        }

        if (spec.Semantics.Kind == SemanticsKind.AtLeast)
        {
            var fieldEnum = field.Type.Kind == TypeKind.Enum ? _enums.Find(e => e.Name == field.Type.Name) : null;
            if (fieldEnum is null || !fieldEnum.Ordered)
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'atLeast' needs a field of an ordered enum; '{path}' is {field.Type}{(fieldEnum is null ? string.Empty : " (not ordered)")}.", location);
            }
        }

        if (spec.Semantics.Kind == SemanticsKind.SortOrder && spec.Type.Kind == TypeKind.Enum && _enums.Find(e => e.Name == spec.Type.Name) is { } orderEnum)
        {
            foreach (var value in new[] { spec.Semantics.Ascending, spec.Semantics.Descending })
            {
                if (value is not null && orderEnum.IndexOf(value) < 0)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{value}' is not a value of the enum '{orderEnum.Name}' ({spec.WireName}).", location);
                }
            }
        }

        if (spec.Semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.RelativeWindow or SemanticsKind.CursorStart
            && field.Type.Kind is not (TypeKind.Int32 or TypeKind.Int64 or TypeKind.Number or TypeKind.Date or TypeKind.Timestamp))
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"'{path}' is {field.Type} and cannot be compared by '{spec.WireName}'.", location);
        }
        else if (spec.Semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.CursorStart
            && spec.Type is not { IsArray: false, Kind: TypeKind.Int32 or TypeKind.Int64 or TypeKind.Number or TypeKind.Date or TypeKind.Timestamp })
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"'{spec.WireName}' is {spec.Type} and cannot bound '{path}'.", location);
        }
        else if (spec.Semantics.Kind is SemanticsKind.EqualTo or SemanticsKind.OneOf && !Comparable(spec.Type.Element, field.Type))
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"'{spec.WireName}' ({spec.Type}) cannot be compared with '{path}' ({field.Type}).", location);
        }
    }

    /// <summary>Whether a parameter value can equal a field value: same type, integers of either width, or text against an enum.</summary>
    private static bool Comparable(TypeRef parameter, TypeRef field)
    {
        if (field.IsArray)
        {
            return false;
        }

        if (parameter.Kind is TypeKind.Int32 or TypeKind.Int64 && field.Kind is TypeKind.Int32 or TypeKind.Int64)
        {
            return true;
        }

        if (parameter.Kind == TypeKind.String && field.Kind is TypeKind.String or TypeKind.Enum)
        {
            return true;
        }

        return parameter.Kind == field.Kind && parameter.Name == field.Name;
    }

    private string SuggestPath(ModelSpec model, string path)
    {
        // Suggest among all paths of the model, a few levels deep.
        var paths = new List<string>();
        void Walk(ModelSpec m, string prefix, int depth)
        {
            foreach (var f in m.Fields)
            {
                var p = prefix + f.JsonName;
                paths.Add(p);
                if (depth < 4 && f.Type.Kind == TypeKind.Model && !f.Type.IsArray && _models.Find(x => x.Name == f.Type.Name) is { } child)
                {
                    Walk(child, p + ".", depth + 1);
                }
            }
        }

        Walk(model, string.Empty, 0);
        return Suggest.DidYouMean(path, paths);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private void CheckRelativeDefault(ParameterEntry parameter, List<ParameterEntry> all, string what)
    {
        if (parameter.Spec.RelativeDefault?.RelativeTo is not { } relativeTo || parameter.RelativeToNode is not { } node || relativeTo == parameter.Spec.WireName)
        {
            return;
        }

        var other = all.Find(p => p.Spec.WireName == relativeTo);
        if (other is null)
        {
            _context.Error(DiagnosticIds.UnknownEndpointParameter, $"The default of '{parameter.Spec.WireName}' is relative to '{MapReader.Truncate(relativeTo)}', which {what} lacks (use now or a timestamp/date parameter){Suggest.DidYouMean(relativeTo, all.Select(p => p.Spec.WireName).Concat(new[] { "now" }))}.", node);
            return;
        }

        if (!IsUnresolved(other.Spec.Type) && (other.Spec.Type.IsArray || other.Spec.Type.Kind is not (TypeKind.Timestamp or TypeKind.Date)))
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"The default of '{parameter.Spec.WireName}' is relative to '{relativeTo}', which is {other.Spec.Type}, not a timestamp or date ({what}).", node);
            return;
        }

        // A chain of relative defaults must end at now or at a parameter without one.
        var seen = new List<string> { parameter.Spec.WireName };
        var current = other;
        while (current?.Spec.RelativeDefault?.RelativeTo is { } next)
        {
            seen.Add(current.Spec.WireName);
            if (next == parameter.Spec.WireName)
            {
                if (seen.Exists(name => string.CompareOrdinal(name, parameter.Spec.WireName) < 0))
                {
                    return; // reported once, on the member with the first name
                }

                _context.Error(DiagnosticIds.InvalidValue, $"The relative defaults of {what} form a cycle: {string.Join(" → ", seen)} → {next}.", node);
                return;
            }

            if (seen.Contains(next))
            {
                return; // a cycle that does not pass through this parameter: reported on its own members
            }

            current = all.Find(p => p.Spec.WireName == next);
        }
    }
}
