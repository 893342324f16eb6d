FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# One malloc arena per thread kept freed page images: see api/malloc-arenas.ts.
ENV MALLOC_ARENA_MAX=2
# tessdata_fast networks for SOHOA_OCR_MODEL=fast (the default best_int data comes with npm ci).
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr-vie tesseract-ocr-eng && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pipeline ./pipeline
COPY workers ./workers
COPY storage ./storage
COPY api ./api
COPY bin ./bin
COPY samples ./samples
RUN mkdir -p /var/lib/sohoa && chown node:node /var/lib/sohoa
USER node
ENTRYPOINT ["node", "bin/sohoa.js"]
CMD ["start"]
