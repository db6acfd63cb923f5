using System.Data.Common;
using System.Text;

namespace Mindspace.Runtime.Persistence;

/// <summary>
/// Turns a <see cref="RecordQuery"/> into the bounds, order and limit of a SQL query over
/// <c>record_key</c>. The text is the same in SQLite and PostgreSQL, so both providers use this.
/// </summary>
internal static class RecordQuerySql
{
    /// <summary>
    /// Completes <paramref name="command"/>: <paramref name="selectWhere"/> is the query so far, ending
    /// in a WHERE clause that picks one grain's collection; the query's bounds, order and limit follow.
    /// </summary>
    public static void Apply(DbCommand command, string selectWhere, RecordQuery query)
    {
        var sql = new StringBuilder(selectWhere);
        if (query.From is { } from)
        {
            sql.Append(" AND record_key >= @from");
            AddParameter(command, "@from", from);
        }

        if (query.To is { } to)
        {
            sql.Append(" AND record_key < @to");
            AddParameter(command, "@to", to);
        }

        if (query.After is { } after)
        {
            sql.Append(query.Descending ? " AND record_key < @after" : " AND record_key > @after");
            AddParameter(command, "@after", after);
        }

        sql.Append(query.Descending ? " ORDER BY record_key DESC" : " ORDER BY record_key").Append(" LIMIT @limit");
        AddParameter(command, "@limit", query.Limit);
        command.CommandText = sql.ToString();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
