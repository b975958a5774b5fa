@rem grok: the grok-metrics command line, from the distribution (needs only a Java 17+ runtime).
@rem Runs org.grokmetrics.examples.cli.GrokCli with the jars in ..\lib; "grok --help" lists the commands.
@rem   JAVA_HOME       the Java runtime to use (else java on the PATH)
@rem   GROK_JAVA_OPTS  extra JVM options, e.g. -Xmx8g
@echo off
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA_EXE=%JAVA_HOME%\bin\java.exe") else (set "JAVA_EXE=java")
if not defined OMP_NUM_THREADS set "OMP_NUM_THREADS=1"
"%JAVA_EXE%" %GROK_JAVA_OPTS% -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -cp "%APP_HOME%\lib\*" org.grokmetrics.examples.cli.GrokCli %*
exit /b %ERRORLEVEL%
