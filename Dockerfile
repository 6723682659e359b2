FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY hub ./hub
COPY connectors ./connectors
COPY ai ./ai
COPY slackapp ./slackapp
COPY db ./db
COPY manage.py ./

RUN pip install . && useradd --system --uid 10001 hub && mkdir -p /app/var && chown hub /app/var
USER hub

EXPOSE 8000
CMD ["python", "manage.py", "serve", "--host", "0.0.0.0", "--port", "8000"]
