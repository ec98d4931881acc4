"""The Python client of the original design, unchanged but for the URL (taken from argv)."""
import asyncio
import json
import sys

import websockets


async def websocket_client(uri):
    async with websockets.connect(uri) as websocket:
        # 发送文本输入
        await websocket.send(json.dumps({
            "type": "text_input",
            "session_id": "test_session",
            "data": {"text": "Hello, I'm ready for the interview."}
        }))

        # 接收响应 (the first message is `connected`; read on to the reply)
        while True:
            response = json.loads(await websocket.recv())
            if response["type"] == "ai_response":
                print(json.dumps(response))
                return


asyncio.run(websocket_client(sys.argv[1]))
