package dev.tributary.pipelines.dropin;

import dev.tributary.engine.JobContext;
import dev.tributary.engine.JobHandler;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Runs the SQL command of a job made with {@code cron.schedule} (kind {@value #KIND}), as pg_cron
 * does: in its own transaction, once per tick (the engine fires a tick once across the cluster and
 * the job has one attempt, so a command never runs twice for a tick), with a row in {@code
 * cron.job_run_details} that goes {@code running} → {@code succeeded | failed} with pg_cron's
 * return message ({@code "1 row"}, {@code "INSERT 0 1"}, or the error).
 */
public final class CronCommands implements JobHandler {
  public static final String KIND = "cron.command";
  public static final String QUEUE = "cron";

  private final Jdbc jdbc;
  private final DataSource dataSource;

  public CronCommands(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
  }

  /** What one run of a command ended as. */
  public record Run(long runId, String status, String returnMessage) {}

  @Override
  public void run(JobContext ctx) {
    String name = ctx.args().path("name").asText("");
    String command = ctx.args().path("command").asText("");
    Run run = execute(name, command);
    ctx.result(java.util.Map.of("runid", run.runId(), "status", run.status()));
    if (!"succeeded".equals(run.status())) {
      // recorded in cron.job_run_details; the next tick runs it again, this one is not retried
      throw new PermanentJobException("cron job '" + name + "' failed: " + run.returnMessage());
    }
  }

  /** Runs {@code command} for the schedule {@code name} and records the run. */
  public Run execute(String name, String command) {
    long runId =
        jdbc.queryOne(
                """
                INSERT INTO cron.job_run_details
                       (jobid, database, username, command, status, start_time)
                SELECT s.cron_jobid, current_database(), coalesce(s.args ->> 'username', current_user),
                       :command, 'running', clock_timestamp()
                  FROM (SELECT :name AS name) n
                  LEFT JOIN tributary.schedules s ON s.name = n.name
                RETURNING runid""",
                Params.of("name", name, "command", command),
                rs -> rs.getLong(1))
            .orElseThrow();
    String status;
    String message;
    Integer pid = null;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          pid = rs.getInt(1);
        }
        message = runAll(st, command);
        c.commit();
        status = "succeeded";
      } catch (SQLException e) {
        c.rollback();
        status = "failed";
        message = "ERROR:  " + e.getMessage();
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      status = "failed";
      message = "could not run the command: " + e.getMessage();
    }
    jdbc.update(
        """
        UPDATE cron.job_run_details
           SET status = :status, return_message = :message, job_pid = :pid, end_time = clock_timestamp()
         WHERE runid = :runid""",
        Params.of("status", status, "message", message, "pid", pid).and("runid", runId));
    return new Run(runId, status, message);
  }

  /** Runs every statement of the command; the message is the last one's, as psql would show. */
  private static String runAll(Statement st, String command) throws SQLException {
    boolean isResultSet = st.execute(command);
    String message = "";
    while (true) {
      if (isResultSet) {
        int rows = 0;
        try (ResultSet rs = st.getResultSet()) {
          while (rs.next()) {
            rows++;
          }
        }
        message = rows + (rows == 1 ? " row" : " rows");
      } else {
        int count = st.getUpdateCount();
        if (count == -1) {
          break;
        }
        message = tag(command, count);
      }
      isResultSet = st.getMoreResults();
    }
    return message;
  }

  private static String tag(String command, int count) {
    String verb = command.strip().split("[\\s(;]+", 2)[0].toUpperCase(Locale.ROOT);
    return switch (verb) {
      case "INSERT" -> "INSERT 0 " + count;
      case "UPDATE", "DELETE", "MERGE", "COPY" -> verb + " " + count;
      default -> verb;
    };
  }
}
