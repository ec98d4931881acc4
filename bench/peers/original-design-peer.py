"""The bench's peer: the design Viva replaces, re-created as its summary describes it.

FastAPI + uvicorn + websockets, Pydantic models for every message, a ConnectionManager holding the open
sockets and an in-memory dict of interview sessions (kept after a disconnect, lost on restart), and an
AICoordinator whose "interviewer" walks a list of canned questions. Nothing is stored on disk: a reply
is sent as soon as it is made. It speaks enough of Viva's wire protocol for the bench's load generator
(bench/closed-loop-candidates.ts): `connected` on open, `text_input` -> `status` + `ai_response` (with
`reply_to`), `ping` -> `pong`.

Run by `npm run bench` with /usr/bin/python3 (Debian: apt-get install python3-fastapi python3-uvicorn
python3-websockets). Environment: HOST (default 127.0.0.1), PORT (default 0, any free port). Prints
"... listening on http://HOST:PORT" on stderr once it accepts connections.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Literal, Optional

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field, ValidationError

CANNED_QUESTIONS: List[str] = [
    "Tell me about a project you are proud of and your part in it.",
    "Describe a hard technical problem you solved recently. How did you approach it?",
    "How do you make sure a service you own stays reliable under load?",
    "Tell me about a disagreement with a colleague and how you resolved it.",
    "How would you design a rate limiter for a public API?",
    "What would you do in your first month on this team?",
]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- models (api_gateway/models.py) -------------------------------------------------------------


class WebSocketMessage(BaseModel):
    type: str
    session_id: Optional[str] = None
    id: Optional[str] = Field(default=None, max_length=64)
    data: Dict[str, Any] = Field(default_factory=dict)


class TextInputData(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    context: Optional[Dict[str, Any]] = None


class TextInputMessage(WebSocketMessage):
    type: Literal["text_input"]
    data: TextInputData  # type: ignore[assignment]

    def get_text(self) -> str:
        return self.data.text.strip()

    def get_context(self) -> Dict[str, Any]:
        return self.data.context or {}


class ServerMessage(BaseModel):
    type: str
    session_id: str
    timestamp: str = Field(default_factory=now_iso)
    reply_to: Optional[str] = None
    data: Dict[str, Any] = Field(default_factory=dict)


class InterviewSession(BaseModel):
    session_id: str
    created_at: str = Field(default_factory=now_iso)
    question_index: int = 0
    history: List[Dict[str, str]] = Field(default_factory=list)


# --- coordinator (ai_backend/coordinator.py) ----------------------------------------------------


class AICoordinator:
    """Routes an input to the 'backends'; the interviewer here is a list of canned questions."""

    async def process_unified_input(self, input_data: str, session: InterviewSession) -> Dict[str, Any]:
        question = CANNED_QUESTIONS[session.question_index % len(CANNED_QUESTIONS)]
        reply = f"Thank you for that answer. {question}"
        session.history.append({"candidate": input_data, "interviewer": reply})
        session.question_index += 1
        return {"ai_response": reply, "turn": len(session.history), "follow_up": False}


# --- connection manager (api_gateway/websocket_manager.py) --------------------------------------


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: Dict[str, WebSocket] = {}
        # kept after a disconnect, so a reconnect continues the conversation (in memory only)
        self.interview_sessions: Dict[str, InterviewSession] = {}

    async def connect(self, websocket: WebSocket, session_id: Optional[str]) -> str:
        await websocket.accept()
        session_id = session_id or f"s_{uuid.uuid4().hex[:16]}"
        self.active_connections[session_id] = websocket
        resumed = session_id in self.interview_sessions
        if not resumed:
            self.interview_sessions[session_id] = InterviewSession(session_id=session_id)
        await self.send(session_id, ServerMessage(type="connected", session_id=session_id, data={"session_id": session_id, "resumed": resumed}))
        return session_id

    async def disconnect(self, session_id: str) -> None:
        self.active_connections.pop(session_id, None)

    async def send(self, session_id: str, message: ServerMessage) -> None:
        websocket = self.active_connections.get(session_id)
        if websocket is not None:
            # compact, as JSON.stringify writes it
            await websocket.send_text(message.json(exclude_none=True, separators=(",", ":")))

    async def handle_message(self, session_id: str, raw: str, coordinator: AICoordinator) -> None:
        try:
            envelope = WebSocketMessage.parse_raw(raw)
        except ValidationError as error:
            await self.error(session_id, "INVALID_MESSAGE", str(error), None)
            return
        if envelope.type == "ping":
            await self.send(session_id, ServerMessage(type="pong", session_id=session_id, reply_to=envelope.id, data={"server_time": now_iso()}))
            return
        if envelope.type != "text_input":
            await self.error(session_id, "UNKNOWN_TYPE", f"unknown message type {envelope.type}", envelope.id)
            return
        try:
            message = TextInputMessage.parse_obj(envelope.dict())
        except ValidationError as error:
            await self.error(session_id, "INVALID_MESSAGE", str(error), envelope.id)
            return
        await self.send(session_id, ServerMessage(type="status", session_id=session_id, reply_to=message.id, data={"state": "thinking"}))
        result = await coordinator.process_unified_input(message.get_text(), self.interview_sessions[session_id])
        await self.send(session_id, ServerMessage(type="ai_response", session_id=session_id, reply_to=message.id, data=result))

    async def error(self, session_id: str, code: str, text: str, reply_to: Optional[str]) -> None:
        await self.send(session_id, ServerMessage(type="error", session_id=session_id, reply_to=reply_to, data={"code": code, "message": text, "retryable": False}))


# --- routes (api_gateway/routes.py) -------------------------------------------------------------

app = FastAPI()
connection_manager = ConnectionManager()
ai_coordinator = AICoordinator()


async def serve_socket(websocket: WebSocket, session_id: Optional[str]) -> None:
    session_id = await connection_manager.connect(websocket, session_id)
    try:
        while True:
            raw = await websocket.receive_text()
            await connection_manager.handle_message(session_id, raw, ai_coordinator)
    except WebSocketDisconnect:
        pass
    finally:
        await connection_manager.disconnect(session_id)


@app.websocket("/api/v1/ws")
async def websocket_new(websocket: WebSocket) -> None:
    await serve_socket(websocket, None)


@app.websocket("/api/v1/ws/{session_id}")
async def websocket_session(websocket: WebSocket, session_id: str) -> None:
    await serve_socket(websocket, session_id)


@app.get("/api/v1/websocket/stats")
async def stats() -> Dict[str, int]:
    return {"active_connections": len(connection_manager.active_connections), "sessions": len(connection_manager.interview_sessions)}


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(os.environ.get("PORT", "0"))))
    listener.listen(2048)
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="websockets", ws_max_size=1024 * 1024, lifespan="off")
    server = uvicorn.Server(config)

    async def run() -> None:
        serving = asyncio.ensure_future(server.serve(sockets=[listener]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        print(f"original design (FastAPI) listening on http://{host}:{port}", file=sys.stderr, flush=True)
        await serving

    asyncio.run(run())


if __name__ == "__main__":
    main()
