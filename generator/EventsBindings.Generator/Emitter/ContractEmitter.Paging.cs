using EventsBindings.Generator.Model;
using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Emitter;

internal static partial class ContractEmitter
{

    /// <summary>
    /// The one list method of a list endpoint: a pageable whose items stream page after page and whose
    /// <c>AsPages(continuationToken, pageSizeHint)</c> gives the pages, following the contract's pagination.
    /// </summary>
    private static void EmitListMethods(SourceWriter w, EndpointEmit e, string pathArgs, string pathArgNames, string queryArg, string operation, string summary, Action pathDocs, Action queryDoc)
    {
        var item = e.ModelName!;
        var hasQuery = e.QueryParameters.Count > 0;
        var sendQuery = hasQuery ? "q, " : string.Empty;

        w.Line();
        w.Line($"/// <summary>{summary} ({operation}): <c>await foreach</c> streams every item, page after page, following the contract's pagination ({e.Paging}); <c>AsPages</c> gives the pages with their continuation tokens and raw responses.</summary>");
        pathDocs();
        queryDoc();
        w.Line("/// <param name=\"cancellationToken\">Cancels every enumeration of the result.</param>");
        w.Line("/// <returns>The items and, through <c>AsPages</c>, the pages; nothing is requested until it is enumerated, and a failed page is retried alone.</returns>");
        w.Open($"public virtual {Runtime}.Paging.EventsPageable<{item}> Get{e.Name}Async({pathArgs}{queryArg}{CancellationToken} cancellationToken = default)");
        if (hasQuery)
        {
            w.Line($"var baseQuery = query?.Clone() ?? new {e.QueryTypeName}();");
        }

        w.Line($"return {Runtime}.Paging.EventsPageable.Create<{item}>(");
        w.Line("    (continuationToken, pageSizeHint, pagesCancellation) =>");
        w.Line("    {");
        w.Indent();
        w.Indent();
        var single = $"{Runtime}.Paging.Pager.SinglePageAsync<{item}>(ct => Send{e.Name}Async({pathArgNames}{(hasQuery ? "baseQuery, " : string.Empty)}ct), pagesCancellation)";
        if (e.NewestNProperty is { } newest)
        {
            w.Line($"if (baseQuery.{newest} is not null)");
            w.Line("{");
            w.Line($"    return {single};");
            w.Line("}");
            w.Line();
        }

        var stop = $"{Runtime}.Paging.PageStop.{(e.StopOnEmptyPage ? "EmptyPage" : "ShortPage")}";
        var pageSize = e.PageSizeProperty is null ? null : $"{Runtime}.Paging.EventsPageable.PageSize(pageSizeHint, {e.PageSizeRead}, {PageSizeMaximum(e)})";
        switch (e.Paging)
        {
            case "Cursor" when hasQuery && e.CursorProperty is not null && pageSize is not null && e.CursorAccessor is not null && e.CursorStart is not null && e.CursorAssign is not null:
                w.Line($"var pageSize = {pageSize};");
                w.Line($"return {Runtime}.Paging.Pager.CursorPagesAsync<{item}>(");
                w.Line($"    {e.CursorStart},");
                w.Line("    pageSize,");
                w.Line($"    {Runtime}.Paging.CursorAdvance.{(e.CursorLastPlusOne ? "LastPlusOne" : "Last")},");
                w.Line($"    {stop},");
                w.Line("    (cursor, size, ct) =>");
                w.Line("    {");
                w.Line("        var q = baseQuery.Clone();");
                w.Line($"        q.{e.CursorProperty} = {e.CursorAssign};");
                w.Line($"        q.{e.PageSizeProperty} = size;");
                w.Line($"        return Send{e.Name}Async({pathArgNames}{sendQuery}ct);");
                w.Line("    },");
                w.Line($"    static item => {e.CursorAccessor},");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            case "Offset" when hasQuery && e.OffsetProperty is not null && pageSize is not null:
                var offsetType = e.QueryParameters.First(p => p.PropertyName == e.OffsetProperty).Kind;
                w.Line($"var pageSize = {pageSize};");
                w.Line($"return {Runtime}.Paging.Pager.OffsetPagesAsync<{item}>(");
                w.Line($"    baseQuery.{e.OffsetProperty} ?? 0,");
                w.Line("    pageSize,");
                w.Line($"    {stop},");
                w.Line("    (offset, size, ct) =>");
                w.Line("    {");
                w.Line("        var q = baseQuery.Clone();");
                w.Line($"        q.{e.OffsetProperty} = {(offsetType == ValueKind.Int32 ? "checked((int)offset)" : "offset")};");
                w.Line($"        q.{e.PageSizeProperty} = size;");
                w.Line($"        return Send{e.Name}Async({pathArgNames}{sendQuery}ct);");
                w.Line("    },");
                w.Line($"    static item => {e.PageIdentity},");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            case "NextLink":
                var first = hasQuery ? "baseQuery, " : string.Empty;
                if (pageSize is not null)
                {
                    // The hint sizes the first request; the links the server names carry their own page size.
                    w.Line("var firstQuery = baseQuery;");
                    w.Line("if (pageSizeHint is not null)");
                    w.Line("{");
                    w.Line("    firstQuery = baseQuery.Clone();");
                    w.Line($"    firstQuery.{e.PageSizeProperty} = {pageSize};");
                    w.Line("}");
                    w.Line();
                    first = "firstQuery, ";
                }

                w.Line($"return {Runtime}.Paging.Pager.LinkPagesAsync<{item}>(");
                w.Line("    _pipeline.BaseUri,");
                w.Line($"    {(e.NextLinkTokenWire is null ? "false" : "true")},");
                w.Line($"    {Runtime}.Paging.PageStop.{(e.StopOnEmptyPage ? "EmptyPage" : "Absent")},");
                w.Line($"    (link, ct) => Send{e.Name}PageAsync({pathArgNames}{first}link, ct),");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            default:
                w.Line($"return {single};");
                break;
        }

        w.Outdent();
        w.Outdent();
        w.Line("    },");
        w.Line("    cancellationToken);");
        w.Close();

        if (e.Sync == "NextLink" && hasQuery && e.Paging == "NextLink" && e.SyncIdAccessor is not null)
        {
            EmitExport(w, e, pathArgs, pathArgNames, summary);
        }
        else if (e.Sync is not null && hasQuery && e.SyncCursorProperty is not null && e.SyncFieldAccessor is not null && e.SyncCursorAssign is not null)
        {
            EmitExport(w, e, pathArgs, pathArgNames, summary);
        }
    }

    /// <summary>The contract's maximum page size as a C# literal, or <c>null</c>.</summary>
    private static string PageSizeMaximum(EndpointEmit e) =>
        e.QueryParameters.FirstOrDefault(p => p.PropertyName == e.PageSizeProperty)?.Maximum is { } max
            ? max.ToString(System.Globalization.CultureInfo.InvariantCulture) + "L"
            : "null";

    /// <summary>The request of an endpoint's call: method, path with its values, declared errors and the query.</summary>
    private static void EmitNewRequest(SourceWriter w, EndpointEmit e, bool hasQuery)
    {
        w.Line($"var request = new {Runtime}.EventsRequest(global::System.Net.Http.HttpMethod.{Pascal(e.Method)}, {SourceLiterals.Quote(e.Name)}, {SourceLiterals.Quote(e.Path)});");
        foreach (var segment in e.Segments)
        {
            if (segment.IsParameter)
            {
                var p = e.PathParameters.First(x => x.ArgumentName == segment.Text);
                w.Line($"request.AppendPathValue({FormatScalar(p.Kind, p.ArgumentName)});");
            }
            else
            {
                w.Line($"request.AppendPath({SourceLiterals.Quote(segment.Text)});");
            }
        }

        if (e.Errors.Count > 0)
        {
            w.Line($"request.Errors = {e.Name}Errors;");
        }

        if (hasQuery)
        {
            w.Line("query?.ApplyTo(request);");
        }
    }

    /// <summary>Next-link endpoints: the request of the first page (from the query) or of the page a link or token names.</summary>
    private static void EmitSendPage(SourceWriter w, EndpointEmit e, string pathArgs, string queryParameter, bool hasQuery, string parse)
    {
        var item = e.ModelName!;
        w.Line();
        w.Line($"private global::System.Threading.Tasks.Task<{Runtime}.Paging.LinkedPage<{item}>> Send{e.Name}PageAsync({pathArgs}{queryParameter}string? link, {CancellationToken} cancellationToken)");
        w.Line("{");
        w.Indent();
        EmitNewRequest(w, e, hasQuery);

        w.Line("if (link is not null)");
        w.Line("{");
        if (e.NextLinkTokenWire is { } tokenWire)
        {
            // The server's opaque token goes back in its parameter, beside the first page's query.
            w.Line($"    request.{(e.NextLinkTokenPlace == ParameterPlace.Header ? "AddHeader" : "AddQuery")}({SourceLiterals.Quote(tokenWire)}, link);");
        }
        else
        {
            // The server's next link carries the whole query; it is fetched as it is (on the base URL's origin only).
            w.Line("    request.FollowLink(new global::System.Uri(link, global::System.UriKind.Absolute));");
        }

        w.Line("}");
        w.Line();
        var location = e.NextLinkHeader is { } header
            ? $"{Runtime}.Paging.NextLinkLocation.Header({SourceLiterals.Quote(header)}, {SourceLiterals.Quote(e.NextLinkRel ?? "next")})"
            : $"{Runtime}.Paging.NextLinkLocation.Field({SourceLiterals.Quote(e.NextLinkField ?? "next")})";
        w.Line($"return _pipeline.SendPageAsync<{item}>(request, {parse}, {location}, cancellationToken);");
        w.Outdent();
        w.Line("}");
    }

    private static void EmitExport(SourceWriter w, EndpointEmit e, string pathArgs, string pathArgNames, string summary)
    {
        var item = e.ModelName!;
        w.Line();
        w.Line($"/// <summary>A checkpointed export of {summary.TrimEnd('.')}: everything new since the stored checkpoint, page by page, the checkpoint saved only after the sink took the page ({e.Sync}).</summary>");
        foreach (var p in e.PathParameters)
        {
            w.Line($"/// <param name=\"{p.ArgumentName.TrimStart('@')}\">{SourceLiterals.Xml(p.Description ?? p.WireName)}</param>");
        }

        w.Line("/// <param name=\"checkpoints\">Where the checkpoint is kept.</param>");
        w.Line("/// <param name=\"sink\">Receives each page; a page counts as delivered when the sink's call completes.</param>");
        w.Line("/// <param name=\"filter\">Further filters; the export sets the sync cursor, the page size and the values the contract's sync always sends, and fills the sync's defaults this filter leaves unset.</param>");
        w.Line($"/// <param name=\"pageSize\">Items per request; default {e.SyncPageSize}.</param>");
        w.Line("/// <param name=\"options\">Export options.</param>");
        w.Line("/// <returns>The export; call RunOnceAsync or FollowAsync.</returns>");
        w.Open($"public virtual {Runtime}.Export.CheckpointedExport<{item}> Create{e.Name}Export({pathArgs}{Runtime}.Export.ICheckpointStore checkpoints, {Runtime}.Export.IEventSink<{item}> sink, {e.QueryTypeName}? filter = null, int? pageSize = null, {Runtime}.Export.ExportOptions? options = null)");
        w.Line($"var baseQuery = filter?.Clone() ?? new {e.QueryTypeName}();");
        foreach (var fixedValue in e.SyncFixedValues)
        {
            w.Line($"baseQuery.{fixedValue.PropertyName} {(fixedValue.OnlyWhenUnset ? "??=" : "=")} {fixedValue.Expression};");
        }

        w.Line($"var size = pageSize ?? {e.SyncPageSize};");
        if (e.Sync == "NextLink")
        {
            if (e.PageSizeProperty is not null)
            {
                w.Line($"baseQuery.{e.PageSizeProperty} = size;");
            }
            else
            {
                w.Line("_ = size;");
            }

            w.Line($"var source = {Runtime}.Export.SyncSources.NextLink<{item}>(");
            w.Line("    _pipeline.BaseUri,");
            w.Line($"    {(e.NextLinkTokenWire is null ? "false" : "true")},");
            w.Line($"    {Runtime}.Paging.PageStop.{(e.StopOnEmptyPage ? "EmptyPage" : "Absent")},");
            w.Line($"    (link, ct) => Send{e.Name}PageAsync({pathArgNames}baseQuery, link, ct),");
            w.Line($"    static item => {e.SyncIdAccessor});");
        }
        else if (e.Sync == "IdCursor")
        {
            w.Line($"var source = {Runtime}.Export.SyncSources.IdCursor<{item}>(");
            w.Line("    async (cursor, n, ct) =>");
            w.Line("    {");
            w.Line("        var q = baseQuery.Clone();");
            w.Line($"        q.{e.SyncCursorProperty} = {e.SyncCursorAssign};");
            if (e.PageSizeProperty is not null)
            {
                w.Line($"        q.{e.PageSizeProperty} = n;");
            }

            w.Line($"        return (await Send{e.Name}Async({pathArgNames}q, ct).ConfigureAwait(false)).Value;");
            w.Line("    },");
            w.Line($"    static item => {e.SyncFieldAccessor},");
            w.Line("    size);");
        }
        else
        {
            w.Line($"var source = {Runtime}.Export.SyncSources.TimeCursor<{item}>(");
            w.Line("    async (after, offset, n, ct) =>");
            w.Line("    {");
            w.Line("        var q = baseQuery.Clone();");
            w.Line($"        q.{e.SyncCursorProperty} = {e.SyncCursorAssign};");
            if (e.OffsetProperty is not null)
            {
                var offsetKind = e.QueryParameters.First(p => p.PropertyName == e.OffsetProperty).Kind;
                w.Line($"        q.{e.OffsetProperty} = {(offsetKind == ValueKind.Int32 ? "checked((int)offset)" : "offset")};");
            }

            if (e.PageSizeProperty is not null)
            {
                w.Line($"        q.{e.PageSizeProperty} = n;");
            }

            w.Line($"        return (await Send{e.Name}Async({pathArgNames}q, ct).ConfigureAwait(false)).Value;");
            w.Line("    },");
            w.Line($"    static item => {e.SyncFieldAccessor},");
            w.Line($"    static item => {e.SyncIdAccessor},");
            w.Line($"    global::System.TimeSpan.FromMilliseconds({e.SyncOverlapMilliseconds}),");
            w.Line("    size);");
        }

        w.Line($"return new {Runtime}.Export.CheckpointedExport<{item}>(source, checkpoints, sink, options);");
        w.Close();
    }

}
